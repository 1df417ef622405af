import { Portkey } from 'portkey-ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExport, downloadExport, exportCall, fileText, getExport, parseJsonl, seedLogs, startExport, until, waitForStatus } from '../helpers/exports.js';
import { createKey } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { chatLog, openAiChatRequest, openAiChatResponse } from '../logs/fixtures.js';
import { updatePackedFields } from '../helpers/stored-logs.js';

const WS = 'ws-lifecycle';
const T0 = Date.parse('2025-04-02T09:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();
const FIELDS = ['id', 'created_at', 'request', 'response', 'ai_provider', 'ai_model', 'total_tokens', 'metadata'];

/** A structured-output request whose JSON schema uses `$defs`, `$ref` and dotted property names. */
const structuredRequest = {
  model: 'gpt-4o',
  messages: [{ role: 'user', content: 'Extract the address: "221B Baker Street, London NW1 6XE"' }],
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
      },
    },
  },
};
const structuredResponse = {
  ...openAiChatResponse('gpt-4o-2024-08-06', { prompt_tokens: 120, completion_tokens: 30, total_tokens: 150 }),
  'x.trace': { $meta: { 'nested.key': [1, 2.5, null, true, 'é✓', [[0.12, -0.5], []]] } },
};

function claudeLog(minutes: number) {
  return chatLog({
    created_at: at(minutes),
    request: { url: 'https://api.anthropic.com/v1/messages', method: 'POST', body: { ...openAiChatRequest('claude-3-5-sonnet') } },
    response: { status: 200, body: { type: 'message', model: 'claude-3-5-sonnet', content: [], usage: { input_tokens: 40, output_tokens: 10 } } },
  });
}

describe('log exports: lifecycle through REST and the SDK', () => {
  let s: TestServer;
  let key: string;
  let keyId: string;
  /** gpt-4o logs, newest first (the export's order). */
  let gptIds: string[] = [];

  beforeAll(async () => {
    s = await startTestServer({ JOBS_POLL_INTERVAL_MS: '100' });
    ({ key, id: keyId } = await createKey(s.url, { workspace: WS, scopes: ['logs.write', 'logs.export'] }));
    const structured = chatLog({
      created_at: at(5),
      request: { url: 'https://api.openai.com/v1/chat/completions', body: structuredRequest },
      response: { status: 200, body: structuredResponse },
    });
    const ids = await seedLogs(
      s,
      [
        chatLog({ created_at: at(1) }),
        chatLog({ created_at: at(2) }),
        chatLog({ created_at: at(3) }),
        chatLog({ created_at: at(4) }),
        structured,
        claudeLog(6),
        claudeLog(7),
      ],
      { key },
    );
    gptIds = ids.slice(0, 5).reverse();
    await seedLogs(s, [chatLog(), chatLog()], { workspace: 'ws-elsewhere' });
  });
  afterAll(() => s.stop());

  it("create answers {id, total, object} with total = the logs matching now, in the key's workspace only", async () => {
    const gpt = await exportCall(s, 'POST', '', { key, body: { filters: { ai_model: 'gpt-4o' }, requested_data: ['id'] } });
    expect(gpt.status).toBe(200);
    expect(gpt.body).toEqual({ id: expect.stringMatching(/\S/), total: 5, object: 'export' });
    expect((await createExport(s, { filters: {}, requested_data: ['id'] }, key)).total).toBe(7);
    // The org key's default workspace holds no logs.
    expect((await createExport(s, { filters: {}, requested_data: ['id'] })).total).toBe(0);
    // Counted when created: a log arriving later changes the next export's total, not this one's.
    const first = await createExport(s, { workspace_id: 'ws-now', filters: {}, requested_data: ['id'] });
    await seedLogs(s, [chatLog()], { workspace: 'ws-now' });
    const second = await createExport(s, { workspace_id: 'ws-now', filters: {}, requested_data: ['id'] });
    expect([first.total, second.total]).toEqual([0, 1]);
    expect((await getExport(s, first.id)).total_records).toBe(0);
  });

  it("list answers {object, total, data} newest first, with only the workspace's exports", async () => {
    await createExport(s, { workspace_id: 'ws-other', filters: {}, requested_data: ['id'], description: 'not yours' });
    const made: string[] = [];
    for (const description of ['first', 'second', 'third']) {
      made.push((await createExport(s, { description, filters: {}, requested_data: ['id'] }, key)).id);
      await new Promise((r) => setTimeout(r, 5)); // distinct created_at
    }
    const res = await exportCall(s, 'GET', '', { key });
    expect(res.status).toBe(200);
    expect(res.body.object).toBe('list');
    expect(res.body.total).toBe(res.body.data.length);
    expect(res.body.data.slice(0, 3).map((e: any) => e.id)).toEqual(made.reverse());
    expect(res.body.data.every((e: any) => e.workspace_id === WS && e.object === 'export')).toBe(true);
    const created = res.body.data.map((e: any) => Date.parse(e.created_at));
    expect(created).toEqual([...created].sort((a, b) => b - a));
  });

  it('retrieve answers the ExportItem with progress', async () => {
    const started = Date.now();
    const filters = { ai_model: 'gpt-4o', metadata: { environment: 'staging' } };
    const { id } = await createExport(s, { description: 'April audit', filters, requested_data: FIELDS }, key);
    const e = await getExport(s, id, key);
    expect(e).toMatchObject({
      id,
      workspace_id: WS,
      filters,
      requested_data: FIELDS,
      status: 'draft',
      description: 'April audit',
      created_by: keyId,
      total_records: 5,
      progress: 0,
      object: 'export',
      organisation_id: expect.stringMatching(/\S/),
    });
    for (const k of ['created_at', 'last_updated_at']) {
      expect(Date.parse(e[k])).toBeGreaterThanOrEqual(started - 1000);
      expect(Date.parse(e[k])).toBeLessThanOrEqual(Date.now() + 1000);
    }
    expect((await exportCall(s, 'GET', '/no-such-export', { key })).status).toBe(404);
  });

  it('start -> in_progress -> success; the signed file holds exactly the requested keys and the original bodies', async () => {
    const { id, total } = await createExport(s, { filters: { ai_model: 'gpt-4o' }, requested_data: FIELDS }, key);
    const started = await exportCall(s, 'POST', `/${id}/start`, { key, body: {} });
    expect(started.status).toBe(200);
    expect(started.body).toEqual({ message: expect.any(String), object: 'export' });
    expect(['in_progress', 'success']).toContain((await getExport(s, id, key)).status);
    const done = await waitForStatus(s, id, ['success', 'failed'], { key });
    expect(done).toMatchObject({ status: 'success', total_records: total, progress: total });
    expect(done.error).toBeUndefined();

    const { link, file } = await downloadExport(s, id, key);
    expect(link.url).toBe(link.signed_url);
    expect(new URL(link.url).origin).toBe(s.url);
    expect(Date.parse(link.expires_at) - Date.now()).toBeGreaterThan(3500_000);
    expect(Date.parse(link.expires_at) - Date.now()).toBeLessThanOrEqual(3600_000);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const rows = parseJsonl(fileText(file.bytes));
    expect(rows).toHaveLength(total);
    expect(rows.map((r) => r.id)).toEqual(gptIds);
    for (const r of rows) {
      expect(Object.keys(r)).toEqual(FIELDS);
      expect(r).toMatchObject({ ai_provider: 'openai', ai_model: 'gpt-4o', metadata: { _user: 'user-1842', environment: 'staging' } });
    }
    expect(rows[0].request).toEqual(structuredRequest);
    expect(rows[0].response).toEqual(structuredResponse);
    expect(rows[0].total_tokens).toBe(150);
    expect(rows[1].request).toEqual(openAiChatRequest());
    expect(rows[1].response).toEqual(openAiChatResponse());
    expect(rows[1]).toMatchObject({ created_at: at(4), total_tokens: 1500 });

    // Each /download issues a fresh link (expiry has one-second resolution); the old one keeps working.
    const again = await until(
      'a fresh link',
      () => exportCall(s, 'GET', `/${id}/download`, { key }),
      (r) => r.body.signed_url !== link.signed_url,
      3000,
      100,
    );
    expect(again.status).toBe(200);
    expect(Date.parse(again.body.expires_at)).toBeGreaterThan(Date.parse(link.expires_at));
    for (const url of [link.signed_url, again.body.signed_url]) {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(Buffer.from(await res.arrayBuffer())).toEqual(file.bytes);
    }
  });

  it('the official SDK runs the whole flow unchanged', async () => {
    const client = new Portkey({ apiKey: key, baseURL: `${s.url}/v1` });
    const created = await client.logs.exports.create({ filters: { ai_model: 'gpt-4o' }, requestedData: ['id', 'ai_model'], description: 'via sdk' });
    expect(created).toMatchObject({ id: expect.any(String), total: 5, object: 'export' });
    const exportId = created.id!;
    const listed = await client.logs.exports.list({});
    expect(listed.object).toBe('list');
    expect(listed.data?.[0]?.id).toBe(exportId);
    const got = await client.logs.exports.retrieve({ exportId });
    expect(got).toMatchObject({ id: exportId, status: 'draft', description: 'via sdk', requested_data: ['id', 'ai_model'], total_records: 5 });

    const updated = await client.logs.exports.update({ exportId, filters: { ai_model: 'gpt-4o', page_size: 3 }, requestedData: ['id', 'req_units', 'ai_org'] });
    expect(updated).toMatchObject({ id: exportId, total: 3, object: 'export' });
    expect(await client.logs.exports.start({ exportId })).toMatchObject({ message: expect.any(String), object: 'export' });
    const done = await until(
      'sdk export to finish',
      () => client.logs.exports.retrieve({ exportId }),
      (e) => e.status === 'success' || e.status === 'failed',
    );
    expect(done.status).toBe('success');

    const link = await client.logs.exports.download({ exportId });
    const res = await fetch(link.signed_url!);
    expect(res.status).toBe(200);
    const rows = parseJsonl(await res.text());
    expect(rows).toEqual([
      { id: gptIds[0], req_units: 120, ai_org: 'openai' },
      { id: gptIds[1], req_units: 1000, ai_org: 'openai' },
      { id: gptIds[2], req_units: 1000, ai_org: 'openai' },
    ]);

    const other = await client.logs.exports.create({ filters: {}, requestedData: ['id'] });
    expect(await client.logs.exports.cancel({ exportId: other.id! })).toMatchObject({ message: expect.any(String), object: 'export' });
    expect((await client.logs.exports.retrieve({ exportId: other.id! })).status).toBe('stopped');
  });

  it('a failed run records its error; cancel and download are refused; Start Again after a fix succeeds', async () => {
    const [brokenId] = await seedLogs(s, [chatLog()], { workspace: 'ws-broken' });
    // A stored document the reader cannot decode (span events that are not a list) makes the run fail.
    await updatePackedFields(s.app.database.db, brokenId!, { set: { span: { attributes: [], resource_attributes: [], events: 5 } } });
    const { id } = await createExport(s, { workspace_id: 'ws-broken', filters: {}, requested_data: ['id'] });
    await startExport(s, id);
    const failed = await waitForStatus(s, id, ['failed', 'success']);
    expect(failed.status).toBe('failed');
    expect(failed.error).toEqual(expect.stringMatching(/\S/));
    expect((await exportCall(s, 'POST', `/${id}/cancel`, { body: {} })).status).toBe(409);
    expect((await exportCall(s, 'GET', `/${id}/download`)).status).toBe(409);

    await updatePackedFields(s.app.database.db, brokenId!, { unset: ['span'] });
    await startExport(s, id);
    const done = await waitForStatus(s, id, ['success', 'failed']);
    expect(done.status).toBe('success');
    expect(done.error).toBeUndefined();
    const { file } = await downloadExport(s, id);
    expect(parseJsonl(fileText(file.bytes))).toEqual([{ id: brokenId }]);
  });
});
