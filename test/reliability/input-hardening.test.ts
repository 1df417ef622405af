import { Portkey } from 'portkey-ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExport, downloadExport, exportRows, fileText, parseCsv, startExport, waitForStatus } from '../helpers/exports.js';
import { gql } from '../helpers/graphql.js';
import { call } from '../helpers/http.js';
import { ROOT_KEY, startTestServer, type TestServer } from '../helpers/server.js';
import { trpc } from '../helpers/typed.js';
import { chatLog, countLogs } from '../logs/fixtures.js';

/** A request body nested `depth` arrays deep (`[[[...]]]`), as raw JSON text. */
const nestedJson = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const nestedValue = (depth: number): unknown => JSON.parse(nestedJson(depth));

describe('Hostile JSON bodies get a clear 400, never a 500', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('REST: a log nested 5,000 levels deep is refused with a 400 naming the depth limit; nothing is stored', async () => {
    const before = await countLogs(s);
    const log = JSON.stringify(chatLog()).replace('"temperature":0.3', `"temperature":0.3,"deep":${nestedJson(5000)}`);
    const res = await call(s.url, 'POST', '/v1/logs', { raw: log, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('BAD_REQUEST');
    expect(res.body.error.message).toMatch(/nest(ed|ing).*512/i);
    expect(await countLogs(s)).toBe(before);
  });

  it('REST: a body exactly at the limit is accepted (the limit counts the body itself as level 1)', async () => {
    // Log object (1) -> request (2) -> body (3) -> deep array: 509 more levels makes 512.
    const log = chatLog({});
    (log.request.body as Record<string, unknown>).deep = nestedValue(509);
    const ok = await call(s.url, 'POST', '/v1/logs', { body: log });
    expect(ok.status).toBe(200);
    (log.request.body as Record<string, unknown>).deep = nestedValue(510);
    const refused = await call(s.url, 'POST', '/v1/logs', { body: log });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details?.[0]?.path?.slice(0, 3)).toEqual(['request', 'body', 'deep']);
  });

  it('tRPC: logs.ingest with a 5,000-level value is a BAD_REQUEST, not an internal error', async () => {
    // Sent as raw text: the client's own JSON.stringify overflows at this depth.
    const log = JSON.stringify(chatLog()).replace('"temperature":0.3', `"temperature":0.3,"deep":${nestedJson(5000)}`);
    const res = await call(s.url, 'POST', '/trpc/logs.ingest', { raw: `{"logs":[${log}]}`, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.error.data).toMatchObject({ code: 'BAD_REQUEST', domainCode: 'BAD_REQUEST' });
    expect(res.body.error.message).toMatch(/512/);
    expect(res.body.error.data.details[0].path.slice(0, 5)).toEqual(['logs', 0, 'request', 'body', 'deep']);
  });

  it('REST: invalid UTF-8 in a JSON body is a 400, not silently replaced', async () => {
    const before = await countLogs(s);
    const text = JSON.stringify(chatLog({ metadata: { note: 'XX' } }));
    const bytes = Buffer.from(text, 'utf8');
    const at = bytes.indexOf('XX');
    bytes[at] = 0xc3; // a lead byte followed by ASCII: malformed
    bytes[at + 1] = 0x28;
    const res = await call(s.url, 'POST', '/v1/logs', { raw: bytes, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/UTF-8/);
    expect(await countLogs(s)).toBe(before);
  });

  it('REST: a UTF-8 byte order mark is still accepted', async () => {
    const res = await call(s.url, 'POST', '/v1/logs', {
      raw: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(chatLog()))]),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(200);
  });
});

describe('The portkey-ai SDK batch form', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('portkey.logs.create([a, b]) (sent as {"0": a, "1": b}) stores both logs, in order', async () => {
    const portkey = new Portkey({ apiKey: ROOT_KEY, baseURL: `${s.url}/v1` });
    const a = chatLog({ id: 'sdk-batch-a', metadata: { which: 'a' } });
    const b = chatLog({ id: 'sdk-batch-b', metadata: { which: 'b' } });
    const res = await portkey.logs.create([a, b] as never);
    expect(res.success).toBe(true);
    expect(res.data.log_ids).toHaveLength(2);
    const [ga, gb] = await Promise.all(res.data.log_ids.map((id: string) => call(s.url, 'GET', `/v1/logs/${id}`)));
    expect(ga!.body.metadata).toEqual({ which: 'a' });
    expect(gb!.body.metadata).toEqual({ which: 'b' });
  });

  it('an object with keys "0".."n" is a batch only when the keys are exactly 0..n-1; errors name the item index', async () => {
    const bad = await call(s.url, 'POST', '/v1/logs', { body: { 0: chatLog(), 1: { request: {} } } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path[0]).toBe(1);
    const gap = await call(s.url, 'POST', '/v1/logs', { body: { 0: chatLog(), 2: chatLog() } });
    expect(gap.status).toBe(400);
  });
});

describe('Client data is kept as data', () => {
  let s: TestServer;
  let id: string;
  // Raw JSON text: an object literal in code would set a prototype instead of a key.
  const raw = JSON.stringify(chatLog({ id: 'proto-log' }))
    .replace('"metadata":{', '"metadata":{"__proto__":"meta-proto","constructor":"c",')
    .replace('"headers":{', '"headers":{"__proto__":"header-proto",');
  beforeAll(async () => {
    s = await startTestServer({ JOBS_POLL_INTERVAL_MS: '100' });
    const res = await call(s.url, 'POST', '/v1/logs', { raw, headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(200);
    id = res.body.data.log_ids[0];
  });
  afterAll(() => s.stop());

  const hasOwnProto = (o: unknown, value: string) => Object.getOwnPropertyDescriptor(o, '__proto__')?.value === value;

  it('"__proto__" keys in metadata and headers read back on REST, GraphQL and tRPC', async () => {
    const rest = await call(s.url, 'GET', `/v1/logs/${id}`);
    expect(hasOwnProto(rest.body.metadata, 'meta-proto')).toBe(true);
    expect(rest.body.metadata.constructor).toBe('c');
    expect(hasOwnProto(rest.body.request.headers, 'header-proto')).toBe(true);

    const g = await gql(s.url, `query($id: ID!) { log(id: $id) { metadata request } }`, { id });
    expect(g.body.errors).toBeUndefined();
    expect(hasOwnProto(g.body.data.log.metadata, 'meta-proto')).toBe(true);
    expect(hasOwnProto(g.body.data.log.request.headers, 'header-proto')).toBe(true);

    const t = await trpc(s.url).logs.get.query({ id });
    expect(hasOwnProto(t.metadata, 'meta-proto')).toBe(true);
    expect(hasOwnProto(t.request.headers, 'header-proto')).toBe(true);
  });

  it('"__proto__" metadata survives a JSONL export', async () => {
    const { rows } = await exportRows(s, { filters: {}, requested_data: ['id', 'metadata'] });
    const row = rows.find((r) => r.id === id);
    expect(hasOwnProto(row.metadata, 'meta-proto')).toBe(true);
  });

  it('CSV exports neutralise cells that a spreadsheet would run as formulas (OWASP), numbers stay numbers', async () => {
    const hostile = ['=HYPERLINK("http://evil.example","x")', "+1+cmd|' /C calc'!A0", '-2+3', '@SUM(A1)', '\tTAB', '\rCR'];
    const logs = hostile.map((model, i) =>
      chatLog({
        id: `csv-${i}`,
        request: { url: 'https://api.openai.com/v1/chat/completions', provider: 'openai', body: { model } },
        response: { status: 200, body: {}, response_time: 842 },
      }),
    );
    const ws = 'ws-csv';
    const res = await call(s.url, 'POST', `/v1/logs?workspace_id=${ws}`, { body: logs });
    expect(res.status).toBe(200);
    const { id: exportId } = await createExport(s, { workspace_id: ws, filters: {}, requested_data: ['ai_model', 'response_time'], format: 'csv' });
    await startExport(s, exportId);
    expect((await waitForStatus(s, exportId, ['success', 'failed'])).status).toBe('success');
    const { file } = await downloadExport(s, exportId);
    const table = parseCsv(fileText(file.bytes));
    const models = table.slice(1).map((r) => r[0]!);
    expect(models.sort()).toEqual(hostile.map((h) => `'${h}`).sort());
    for (const r of table.slice(1)) expect(r[1]).toMatch(/^\d+$/);
  });
});
