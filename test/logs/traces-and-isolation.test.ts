import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { chatLog, countLogs, getLog, ingest, postLogs, trpcQuery } from './fixtures.js';

interface NodeView {
  id: string;
  spanId: string | null;
  children: NodeView[];
}
const shape = (n: NodeView): unknown => ({ spanId: n.spanId, children: n.children.map(shape) });

function span(traceId: string, spanId: string, parent: string | undefined, name: string, at: string) {
  const metadata: Record<string, string> = { trace_id: traceId, span_id: spanId, span_name: name };
  if (parent) metadata.parent_span_id = parent;
  return chatLog({ created_at: at, metadata });
}

describe('traces', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('spans linked by parent_span_id come back from tRPC traces.get as a tree', async () => {
    const t = 'trace-checkout-9f1c';
    // Sent out of order: the tree must not depend on arrival order.
    const logs = [
      span(t, 'sp-grandchild', 'sp-child', 'fetch-inventory', '2025-02-01T10:00:02.000Z'),
      span(t, 'sp-sibling', 'sp-root', 'format-reply', '2025-02-01T10:00:03.000Z'),
      span(t, 'sp-root', undefined, 'checkout-agent', '2025-02-01T10:00:00.000Z'),
      span(t, 'sp-child', 'sp-root', 'plan-order', '2025-02-01T10:00:01.000Z'),
      span(t, 'sp-orphan', 'sp-never-sent', 'late-callback', '2025-02-01T10:00:04.000Z'),
      span('trace-other-0001', 'sp-root', undefined, 'unrelated', '2025-02-01T10:00:00.500Z'),
    ];
    const ids = await ingest(s, logs);
    const idOf = (spanId: string) => ids[logs.findIndex((l) => l.metadata!.span_id === spanId && l.metadata!.trace_id === t)];

    const res = await trpcQuery(s, 'traces.get', { traceId: t });
    expect(res.status).toBe(200);
    const trace = res.body.result.data;
    expect(trace.traceId).toBe(t);
    expect(trace.spans).toHaveLength(5);
    expect(trace.roots.map(shape)).toEqual([
      {
        spanId: 'sp-root',
        children: [
          { spanId: 'sp-child', children: [{ spanId: 'sp-grandchild', children: [] }] },
          { spanId: 'sp-sibling', children: [] },
        ],
      },
      { spanId: 'sp-orphan', children: [] },
    ]);
    const root = trace.roots[0];
    expect(root).toMatchObject({
      id: idOf('sp-root'),
      traceId: t,
      spanId: 'sp-root',
      parentSpanId: null,
      spanName: 'checkout-agent',
      createdAt: '2025-02-01T10:00:00.000Z',
      provider: 'openai',
      model: 'gpt-4o',
      statusCode: 200,
      isSuccess: true,
    });
    expect(root.request.body).toEqual(logs[2]!.request.body);
    const grandchild = root.children[0].children[0];
    expect(grandchild).toMatchObject({ id: idOf('sp-grandchild'), parentSpanId: 'sp-child', spanName: 'fetch-inventory' });

    // The same span fields are visible through REST.
    const rest = await getLog(s, idOf('sp-child')!);
    expect(rest.body.metrics).toMatchObject({ trace_id: t, span_id: 'sp-child', parent_span_id: 'sp-root', span_name: 'plan-order' });
  });

  it('malformed parent links (a cycle) never make spans vanish from the tree', async () => {
    const t = 'trace-cycle-31';
    // A client bug links two spans to each other; a third hangs off one of them.
    const logs = [
      span(t, 'sp-a', 'sp-b', 'a', '2025-02-02T09:00:00.000Z'),
      span(t, 'sp-b', 'sp-a', 'b', '2025-02-02T09:00:01.000Z'),
      span(t, 'sp-c', 'sp-a', 'c', '2025-02-02T09:00:02.000Z'),
    ];
    await ingest(s, logs);
    const trace = (await trpcQuery(s, 'traces.get', { traceId: t })).body.result.data;
    expect(trace.spans).toHaveLength(3);
    const seen: string[] = [];
    const walk = (n: NodeView) => {
      seen.push(n.spanId!);
      n.children.forEach(walk);
    };
    trace.roots.forEach(walk);
    expect(seen.sort()).toEqual(['sp-a', 'sp-b', 'sp-c']);
  });

  it('an unknown trace is NOT_FOUND', async () => {
    const res = await trpcQuery(s, 'traces.get', { traceId: 'trace-that-never-was' });
    expect(res.status).toBe(404);
    expect(res.body.error.data.code).toBe('NOT_FOUND');
  });
});

describe('workspace isolation', () => {
  let s: TestServer;
  let a: string; // ws-a: write + view
  let b: string; // ws-b: write + view
  let aNoView: string; // ws-a: write only
  let logId: string;
  const traceId = 'trace-ws-a-77';
  beforeAll(async () => {
    s = await startTestServer();
    a = (await createKey(s.url, { workspace: 'ws-a', scopes: ['logs.write', 'logs.view'], name: 'a' })).key;
    b = (await createKey(s.url, { workspace: 'ws-b', scopes: ['logs.write', 'logs.view'], name: 'b' })).key;
    aNoView = (await createKey(s.url, { workspace: 'ws-a', scopes: ['logs.write'], name: 'a-ingest-only' })).key;
    [logId] = (await ingest(s, chatLog({ metadata: { trace_id: traceId, span_id: 'sp-1', _user: 'ws-a-user' } }), { key: a })) as [string];
  });
  afterAll(() => s.stop());

  it('the owning workspace reads its log through REST and tRPC', async () => {
    const rest = await getLog(s, logId, { key: a });
    expect(rest.status).toBe(200);
    expect(rest.body.workspace_id).toBe('ws-a');
    const trpc = await trpcQuery(s, 'logs.get', { id: logId }, a);
    expect(trpc.status).toBe(200);
    expect(trpc.body.result.data).toMatchObject({ id: logId, workspaceId: 'ws-a', traceId });
    const trace = await trpcQuery(s, 'traces.get', { traceId }, a);
    expect(trace.body.result.data.roots.map((n: NodeView) => n.id)).toEqual([logId]);
  });

  it("another workspace's key gets 404 / NOT_FOUND, never the log", async () => {
    const rest = await getLog(s, logId, { key: b });
    expect(rest.status).toBe(404);
    expect(rest.body.error.code).toBe('NOT_FOUND');
    expect(JSON.stringify(rest.body)).not.toContain('ws-a-user');

    const trpc = await trpcQuery(s, 'logs.get', { id: logId }, b);
    expect(trpc.status).toBe(404);
    expect(trpc.body.error.data.code).toBe('NOT_FOUND');
    const trace = await trpcQuery(s, 'traces.get', { traceId }, b);
    expect(trace.status).toBe(404);
    expect(trace.body.error.data.code).toBe('NOT_FOUND');

    // Naming ws-a explicitly does not help a ws-b key.
    const named = await getLog(s, logId, { key: b, query: '?workspace_id=ws-a' });
    expect([403, 404]).toContain(named.status);
    const namedTrpc = await trpcQuery(s, 'logs.get', { id: logId, workspaceId: 'ws-a' }, b);
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(namedTrpc.body.error.data.code);
  });

  it('the organisation root key reads it by log id, with ws-a or no workspace named, but not under ws-b', async () => {
    const withWs = await getLog(s, logId, { query: '?workspace_id=ws-a' });
    expect(withWs.status).toBe(200);
    expect(withWs.body.id).toBe(logId);
    const noWs = await getLog(s, logId);
    expect(noWs.status).toBe(200);
    expect(noWs.body.workspace_id).toBe('ws-a');
    expect((await getLog(s, logId, { query: '?workspace_id=ws-b' })).status).toBe(404);
    const trpc = await trpcQuery(s, 'logs.get', { id: logId, workspaceId: 'ws-a' });
    expect(trpc.body.result.data.id).toBe(logId);
  });

  it('a ws-b key cannot ingest into ws-a (403, nothing stored)', async () => {
    const before = await countLogs(s);
    const byQuery = await postLogs(s, chatLog(), { key: b, query: '?workspace_id=ws-a' });
    expect(byQuery.status).toBe(403);
    expect(byQuery.body.error.code).toBe('FORBIDDEN');
    expect(await countLogs(s)).toBe(before);
  });

  it('a workspace key without logs.view gets 403 on GET', async () => {
    const res = await getLog(s, logId, { key: aNoView });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect((await trpcQuery(s, 'logs.get', { id: logId }, aNoView)).body.error.data.code).toBe('FORBIDDEN');
  });

  it("GET by the client's own id works within its workspace only", async () => {
    for (const clientId of ['order-1001/attempt 2', '0b9c5a52-3f4e-4d0a-9c1e-7a2b3c4d5e6f']) {
      const [mine] = await ingest(s, chatLog({ id: clientId, metadata: { _user: 'owner-a' } }), { key: a });
      const own = await getLog(s, clientId, { key: a });
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ id: mine, client_id: clientId, workspace_id: 'ws-a' });

      expect((await getLog(s, clientId, { key: b })).status).toBe(404);
      // ws-b may use the same client id for its own log; each workspace sees only its own.
      const [theirs] = await ingest(s, chatLog({ id: clientId, metadata: { _user: 'owner-b' } }), { key: b });
      expect(theirs).not.toBe(mine);
      const fromB = await getLog(s, clientId, { key: b });
      expect(fromB.body).toMatchObject({ id: theirs, workspace_id: 'ws-b', metadata: { _user: 'owner-b' } });
      expect((await getLog(s, clientId, { key: a })).body.id).toBe(mine);

      const root = await getLog(s, clientId, { query: '?workspace_id=ws-a' });
      expect(root.body.id).toBe(mine);
    }
  });
});
