import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chatLog } from '../logs/fixtures.js';
import { call, createKey } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** Organisation keys pick a workspace with the x-portkey-workspace-id header on every REST route, as with ?workspace_id=. */
describe('x-portkey-workspace-id', () => {
  let s: TestServer;
  const inWs = (ws: string) => ({ headers: { 'x-portkey-workspace-id': ws } });
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('scopes log ingest and reads', async () => {
    const posted = await call(s.url, 'POST', '/v1/logs', { ...inWs('ws-header-a'), body: chatLog() });
    expect(posted.status).toBe(200);
    const [id] = posted.body.data.log_ids as string[];
    const read = await call(s.url, 'GET', `/v1/logs/${id}`, inWs('ws-header-a'));
    expect(read.status).toBe(200);
    expect(read.body.workspace_id).toBe('ws-header-a');
    // The same id named in another workspace is not visible there.
    expect((await call(s.url, 'GET', `/v1/logs/${id}`, inWs('ws-header-b'))).status).toBe(404);
  });

  it('scopes OTLP spans', async () => {
    const traceId = '5b8efff798038103d269b633813fc60c';
    const body = {
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                {
                  traceId,
                  spanId: 'eee19b7ec3c1b174',
                  name: 'chat gpt-4o',
                  kind: 3,
                  startTimeUnixNano: '1700000000000000000',
                  endTimeUnixNano: '1700000001000000000',
                },
              ],
            },
          ],
        },
      ],
    };
    expect((await call(s.url, 'POST', '/v1/traces', { ...inWs('ws-header-otlp'), body })).status).toBe(200);
    const found = await call(s.url, 'POST', '/graphql', {
      ...inWs('ignored-by-graphql'),
      body: { query: `{ trace(traceId: "${traceId}", workspaceId: "ws-header-otlp") { spans { workspaceId } } }` },
    });
    expect(found.body.data.trace.spans).toEqual([{ workspaceId: 'ws-header-otlp' }]);
  });

  it('scopes export creation and listing', async () => {
    const created = await call(s.url, 'POST', '/v1/logs/exports', { ...inWs('ws-header-a'), body: { requested_data: ['id'], filters: {} } });
    expect(created.status).toBe(200);
    expect(created.body.total).toBe(1);
    const read = await call(s.url, 'GET', `/v1/logs/exports/${created.body.id}`);
    expect(read.body.workspace_id).toBe('ws-header-a');
    const listed = (ws: string) => call(s.url, 'GET', '/v1/logs/exports', inWs(ws)).then((r) => (r.body.data as { id: string }[]).map((e) => e.id));
    expect(await listed('ws-header-a')).toEqual([created.body.id]);
    expect(await listed('ws-header-b')).toEqual([]);
    // The query parameter wins over the header when both are given.
    const both = await call(s.url, 'GET', '/v1/logs/exports?workspace_id=ws-header-a', inWs('ws-header-b'));
    expect(both.body.data.map((e: { id: string }) => e.id)).toEqual([created.body.id]);
  });

  it('scopes API key listing', async () => {
    const { id } = await createKey(s.url, { workspace: 'ws-header-keys', scopes: ['logs.view'] });
    const listed = await call(s.url, 'GET', '/v1/api-keys', inWs('ws-header-keys'));
    expect(listed.body.data.map((k: { id: string }) => k.id)).toEqual([id]);
    expect((await call(s.url, 'GET', '/v1/api-keys', inWs('ws-header-none'))).body.data).toEqual([]);
  });
});
