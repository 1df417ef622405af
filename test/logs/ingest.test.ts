import { Portkey } from 'portkey-ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createKey } from '../helpers/http.js';
import { ROOT_KEY, startTestServer, type TestServer } from '../helpers/server.js';
import { chatLog, countLogs, getLog, ingest, openAiChatResponse, postLogs } from './fixtures.js';
import { findStoredLog } from '../helpers/stored-logs.js';

/** A structured-output request whose JSON schema uses `$defs`, `$ref` and dotted property names. */
function structuredRequest() {
  return {
    model: 'gpt-4o',
    messages: [{ role: 'user', content: 'Extract the shipping address from: "Send it to 221B Baker Street, London NW1 6XE".' }],
    response_format: {
      type: 'json_schema',
      json_schema: {
        name: 'shipping',
        strict: true,
        schema: {
          type: 'object',
          $defs: { postcode: { type: 'string', pattern: '^[A-Z0-9 ]+$' } },
          properties: { 'address.street': { type: 'string' }, 'address.postcode': { $ref: '#/$defs/postcode' } },
          required: ['address.street', 'address.postcode'],
          additionalProperties: false,
        },
      },
    },
  };
}

describe('POST /v1/logs and GET /v1/logs/{id}', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('the official SDK logs.create stores a log that reads back exactly as sent', async () => {
    const portkey = new Portkey({ apiKey: ROOT_KEY, baseURL: `${s.url}/v1` });
    const requestBody = structuredRequest();
    const responseBody = {
      ...openAiChatResponse('gpt-4o-2024-08-06', { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 }),
      choices: [
        { index: 0, finish_reason: 'stop', message: { role: 'assistant', content: '{"address.street":"221B Baker Street","address.postcode":"NW1 6XE"}' } },
      ],
      // Keys and values FerretDB refuses as document fields: dots, leading $, nested arrays.
      'x.trace': { $meta: { 'nested.key': [1, 2.5, null, true, 'é✓', [[0.12, -0.5], []]] } },
    };
    const before = Date.now();
    const res = await portkey.logs.create({
      request: { url: 'https://api.openai.com/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json' }, body: requestBody },
      response: { status: 200, headers: { 'content-type': 'application/json' }, body: responseBody, response_time: 1234 },
      metadata: { _user: 'sdk-user', environment: 'production' },
    });
    expect(res.success).toBe(true);
    expect(res.data.log_ids).toHaveLength(1);
    const id: string = res.data.log_ids[0];

    const got = await getLog(s, id);
    expect(got.status).toBe(200);
    expect(got.body.id).toBe(id);
    expect(got.body.request.body).toEqual(requestBody);
    expect(got.body.response.body).toEqual(responseBody);
    expect(got.body.request.url).toBe('https://api.openai.com/v1/chat/completions');
    expect(got.body.response.status).toBe(200);
    expect(got.body.metadata).toEqual({ _user: 'sdk-user', environment: 'production' });
    const created = Date.parse(got.body.created_at);
    expect(created).toBeGreaterThanOrEqual(before - 1000);
    expect(created).toBeLessThanOrEqual(Date.now() + 1000);
    expect(got.body.metrics).toMatchObject({
      id,
      created_at: got.body.created_at,
      is_success: true,
      ai_org: 'openai',
      ai_model: 'gpt-4o',
      req_units: 1000,
      res_units: 500,
      total_units: 1500,
      response_status_code: 200,
      response_time: 1234,
      cost_source: 'computed',
    });
  });

  it('a batch answers the ids in input order, each retrievable', async () => {
    const users = ['alice', 'bob', 'carol', 'dave'];
    const res = await postLogs(
      s,
      users.map((u) => chatLog({ metadata: { _user: u } })),
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, data: { log_ids: expect.any(Array) } });
    const ids: string[] = res.body.data.log_ids;
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(4);
    for (const [i, id] of ids.entries()) {
      const got = await getLog(s, id);
      expect(got.status).toBe(200);
      expect(got.body.metadata._user).toBe(users[i]);
    }
  });

  it('a batch of several hundred KB (parsed in parts) stores each log exactly as sent; a malformed one stores nothing', async () => {
    const logs = Array.from({ length: 150 }, (_, i) => {
      const log = chatLog({ metadata: { n: String(i) } });
      const body = log.request.body as { messages: { role: string; content: string }[] };
      body.messages[0]!.content = `Résumé ${i}: "quoted", [brackets], {braces}, back\\slash, 漢字 😀 ${'text '.repeat(300)}`;
      return log;
    });
    const text = JSON.stringify(logs);
    expect(text.length).toBeGreaterThan(200_000);
    const res = await call(s.url, 'POST', '/v1/logs', { raw: text, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
    const ids: string[] = res.body.data.log_ids;
    expect(ids).toHaveLength(150);
    for (const i of [0, 77, 149]) {
      const got = await getLog(s, ids[i]!);
      expect(got.body.request.body).toEqual(logs[i]!.request.body);
      expect(got.body.metadata.n).toBe(String(i));
    }
    const before = await countLogs(s);
    const malformed = await call(s.url, 'POST', '/v1/logs', { raw: `${text.slice(0, -1)},]`, headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/^Malformed JSON: /);
    expect(await countLogs(s)).toBe(before);
  });

  it('a retried batch with client ids returns the same ids and stores each log once', async () => {
    const batch = ['run-88/a', 'run-88/b', 'run-88/c'].map((id) => chatLog({ id }));
    const first = await ingest(s, batch);
    const second = await ingest(s, batch);
    expect(second).toEqual(first);
    expect(new Set(first).size).toBe(3);
    expect(await countLogs(s, { client_id: { $in: ['run-88/a', 'run-88/b', 'run-88/c'] } })).toBe(3);
    for (const id of first) expect((await getLog(s, id)).status).toBe(200);

    // A retry that overlaps the first batch adds only the new log.
    const third = await ingest(s, [...batch, chatLog({ id: 'run-88/d' })]);
    expect(third.slice(0, 3)).toEqual(first);
    expect(await countLogs(s, { client_id: { $regex: '^run-88/' } })).toBe(4);
  });

  it('two concurrent deliveries of the same batch store it once', async () => {
    const batch = Array.from({ length: 20 }, (_, i) => chatLog({ id: `concurrent-${i}` }));
    const [x, y] = await Promise.all([postLogs(s, batch), postLogs(s, batch)]);
    expect([x.status, y.status]).toEqual([200, 200]);
    expect(y.body.data.log_ids).toEqual(x.body.data.log_ids);
    expect(await countLogs(s, { client_id: { $regex: '^concurrent-' } })).toBe(20);
  });

  it('a client id repeated inside one batch is stored once', async () => {
    const ids = await ingest(s, [chatLog({ id: 'dup-in-batch' }), chatLog({ id: 'dup-in-batch' }), chatLog({ id: 'not-dup' })]);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[2]).not.toBe(ids[0]);
    expect(await countLogs(s, { client_id: 'dup-in-batch' })).toBe(1);
  });

  it('the same client id in two workspaces makes two logs', async () => {
    const [inA] = await ingest(s, chatLog({ id: 'shared-7' }), { query: '?workspace_id=ws-one' });
    const [inB] = await ingest(s, chatLog({ id: 'shared-7' }), { query: '?workspace_id=ws-two' });
    expect(inA).toBeDefined();
    expect(inA).not.toBe(inB);
    expect(await countLogs(s, { client_id: 'shared-7' })).toBe(2);
    expect((await getLog(s, inA!)).body.workspace_id).toBe('ws-one');
    expect((await getLog(s, inB!)).body.workspace_id).toBe('ws-two');
  });

  it('keeps a client-supplied created_at', async () => {
    const [utc, offset] = await ingest(s, [chatLog({ created_at: '2025-01-15T10:30:00.000Z' }), chatLog({ created_at: '2025-01-15T12:45:10.250+02:00' })]);
    const a = await getLog(s, utc!);
    expect(a.body.created_at).toBe('2025-01-15T10:30:00.000Z');
    expect(a.body.metrics.created_at).toBe('2025-01-15T10:30:00.000Z');
    expect((await getLog(s, offset!)).body.created_at).toBe('2025-01-15T10:45:10.250Z');
  });

  it('stores credential headers redacted, and never stores the secret', async () => {
    const secret = 'sk-proj-9fXq2LrT7vKw3NcYp8HdZs1BmE4';
    const log = chatLog();
    log.request.headers = { 'content-type': 'application/json', Authorization: `Bearer ${secret}`, 'x-api-key': secret, 'OpenAI-Organization': 'org-42' };
    log.response.headers = { 'content-type': 'application/json', 'set-cookie': `session=${secret}; HttpOnly` };
    const [id] = await ingest(s, log);
    const got = await getLog(s, id!);
    expect(got.body.request.headers).toEqual({
      'content-type': 'application/json',
      Authorization: '[redacted]',
      'x-api-key': '[redacted]',
      'OpenAI-Organization': 'org-42',
    });
    expect(got.body.response.headers['set-cookie']).toBe('[redacted]');
    expect(JSON.stringify(got.body)).not.toContain(secret);
    const doc = await findStoredLog(s.app.database.db, id!);
    expect(doc).not.toBeNull();
    expect(JSON.stringify(doc)).not.toContain(secret);
  });

  it('metadata keeps dotted and $ keys; numbers and booleans become text; nulls are dropped', async () => {
    const [id] = await ingest(s, chatLog({ metadata: { 'team.name': 'search', $env: 'prod', attempt: 3, cached: false, note: null } }));
    expect((await getLog(s, id!)).body.metadata).toEqual({ 'team.name': 'search', $env: 'prod', attempt: '3', cached: 'false' });
  });

  it('an AWS session token header (SigV4 credential sent with Bedrock calls) is stored redacted', async () => {
    const token = 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQDexampleSessionToken';
    const log = chatLog();
    log.request.url = 'https://bedrock-runtime.us-east-1.amazonaws.com/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse';
    log.request.headers = {
      'content-type': 'application/json',
      authorization: 'AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE/20250101/us-east-1/bedrock/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc123',
      'x-amz-date': '20250101T000000Z',
      'x-amz-security-token': token,
    };
    const [id] = await ingest(s, log);
    const got = await getLog(s, id!);
    expect(got.body.request.headers.authorization).toBe('[redacted]');
    expect(got.body.request.headers['x-amz-date']).toBe('20250101T000000Z');
    expect(got.body.request.headers['x-amz-security-token']).toBe('[redacted]');
    const doc = await findStoredLog(s.app.database.db, id!);
    expect(JSON.stringify(doc)).not.toContain(token);
  });

  it('404 JSON for an unknown log id', async () => {
    const res = await getLog(s, '3f2b8c1e-5d4a-4e6f-9a7b-0c1d2e3f4a5b');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });

  describe('rejections store nothing', () => {
    async function expectRejected(status: number, send: () => Promise<{ status: number; body: any }>) {
      const before = await countLogs(s);
      const res = await send();
      expect(res.status).toBe(status);
      expect(res.body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
      expect(await countLogs(s)).toBe(before);
      return res.body.error;
    }

    it('a batch with invalid items: 400 naming each index and field path', async () => {
      const badStatus = chatLog({ id: 'never-stored-1' }) as any;
      badStatus.response.status = 'OK';
      const noUrl = chatLog({ id: 'never-stored-2' }) as any;
      delete noUrl.request.url;
      const batch = [chatLog({ id: 'never-stored-0' }), badStatus, noUrl, chatLog({ id: 'never-stored-3' })];
      const err = await expectRejected(400, () => postLogs(s, batch));
      const paths = err.details.map((d: { path: unknown[] }) => d.path);
      expect(paths).toEqual(
        expect.arrayContaining([
          [1, 'response', 'status'],
          [2, 'request', 'url'],
        ]),
      );
      expect(paths).toHaveLength(2);
      expect(await countLogs(s, { client_id: { $in: ['never-stored-0', 'never-stored-3'] } })).toBe(0);
    });

    it('a single invalid object: 400 with paths from the object itself', async () => {
      const log = chatLog() as any;
      delete log.response;
      log.metadata = { trace_id: { nested: true } };
      log.id = 'x'.repeat(129);
      const err = await expectRejected(400, () => postLogs(s, log));
      const paths = err.details.map((d: { path: unknown[] }) => d.path);
      expect(paths).toEqual(expect.arrayContaining([['id'], ['response'], ['metadata', 'trace_id']]));
      expect(paths.every((p: unknown[]) => typeof p[0] === 'string')).toBe(true);
    });

    it('malformed JSON, an empty array and non-object bodies: 400', async () => {
      await expectRejected(400, () =>
        call(s.url, 'POST', '/v1/logs', { raw: '[{"request": {"url": "https://api.openai.com"', headers: { 'content-type': 'application/json' } }),
      );
      await expectRejected(400, () => postLogs(s, []));
      await expectRejected(400, () => postLogs(s, 42));
      await expectRejected(400, () => postLogs(s, 'a log'));
      await expectRejected(400, () => postLogs(s, null));
      await expectRejected(400, () => postLogs(s, [chatLog(), 7]));
    });

    it('wrong content type: 415', async () => {
      await expectRejected(415, () => call(s.url, 'POST', '/v1/logs', { raw: JSON.stringify(chatLog()), headers: { 'content-type': 'text/plain' } }));
      await expectRejected(415, () => call(s.url, 'POST', '/v1/logs', { raw: 'request=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }));
    });

    it('no key: 401; unknown key: 401; a key without logs.write: 403', async () => {
      await expectRejected(401, () => postLogs(s, chatLog(), { key: null }));
      await expectRejected(401, () => postLogs(s, chatLog(), { key: 'lp-not-a-real-key' }));
      const viewer = await createKey(s.url, { workspace: 'ws-readonly', scopes: ['logs.view'] });
      await expectRejected(403, () => postLogs(s, chatLog(), { key: viewer.key }));
    });
  });
});

describe('POST /v1/logs body limit', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ MAX_BODY_BYTES: '2048' });
  });
  afterAll(() => s.stop());

  it('413 for a body over MAX_BODY_BYTES, nothing stored; a small body still works', async () => {
    const big = chatLog();
    (big.request.body as { messages: { role: string; content: string }[] }).messages.push({
      role: 'user',
      content: 'Please summarise: '.padEnd(6000, 'lorem ipsum '),
    });
    const res = await postLogs(s, big);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(await countLogs(s)).toBe(0);

    const small = {
      request: { url: 'https://api.openai.com/v1/chat/completions', body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] } },
      response: { status: 200, body: { object: 'chat.completion', choices: [], usage: { prompt_tokens: 8, completion_tokens: 2, total_tokens: 10 } } },
    };
    expect(JSON.stringify(small).length).toBeLessThan(2048);
    expect((await postLogs(s, small)).status).toBe(200);
    expect(await countLogs(s)).toBe(1);
  });

  it('413 also for a chunked body without Content-Length', async () => {
    const payload = new TextEncoder().encode(JSON.stringify([chatLog(), chatLog(), chatLog(), chatLog()]));
    expect(payload.length).toBeGreaterThan(2048);
    const before = await countLogs(s);
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < payload.length; i += 512) c.enqueue(payload.slice(i, i + 512));
        c.close();
      },
    });
    const init = { method: 'POST', headers: { 'content-type': 'application/json', 'x-portkey-api-key': ROOT_KEY }, body, duplex: 'half' };
    const res = await fetch(`${s.url}/v1/logs`, init as RequestInit);
    expect(res.status).toBe(413);
    expect(await countLogs(s)).toBe(before);
  });
});
