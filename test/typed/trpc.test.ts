import type { inferRouterOutputs } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppRouter } from '../../src/transports/trpc/router.js';
import { createKey } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { at, detailPaths, downloadJsonl, Named, NAMES, poll, shapeOf, spanLog, specLog, SPECS, trpc, trpcError, trpcLive } from '../helpers/typed.js';

type Out = inferRouterOutputs<AppRouter>;
type ExportState = Out['exports']['get'];

const WS = 'ws-typed';
const FIELDS = ['id', 'ai_model', 'total_tokens'];

describe('tRPC: typed client for logs, traces and exports', () => {
  let s: TestServer;
  let named: Named;
  let api: ReturnType<typeof trpc>;
  let otherKey: string;
  let writeOnlyKey: string;

  beforeAll(async () => {
    s = await startTestServer({ JOBS_POLL_INTERVAL_MS: '100' });
    api = trpc(s.url);
    const { logIds } = await api.logs.ingest.mutate({ workspaceId: WS, logs: NAMES.map((n) => specLog(SPECS[n]!)) });
    named = new Named(logIds);
    otherKey = (await createKey(s.url, { workspace: 'ws-b', scopes: ['logs.write', 'logs.view', 'logs.list', 'logs.export'] })).key;
    writeOnlyKey = (await createKey(s.url, { workspace: 'ws-w', scopes: ['logs.write'] })).key;
  });
  afterAll(() => s.stop());

  it('logs.ingest stores the logs (ids in input order); logs.get reads one back, normalised', async () => {
    expect(named.idOf.size).toBe(10);
    const a = await api.logs.get.query({ id: named.idOf.get('a')!, workspaceId: WS });
    const sent = specLog(SPECS.a!);
    expect(a).toMatchObject({
      id: named.idOf.get('a'),
      workspaceId: WS,
      createdAt: at(0),
      provider: 'openai',
      model: 'gpt-4o',
      requestTokens: 1000,
      responseTokens: 500,
      totalTokens: 1500,
      cost: 0.75,
      costCurrency: 'USD',
      statusCode: 200,
      isSuccess: true,
    });
    expect(a.metadata).toMatchObject({ env: 'prod', team: 'search' });
    expect(a.request.body).toEqual(sent.request.body);
    expect(a.response.body).toEqual(sent.response.body);
    // A single log object (not an array) is accepted too, with a client id to read it back by.
    const { logIds } = await trpc(s.url, writeOnlyKey).logs.ingest.mutate({ logs: { ...specLog(SPECS.b!), id: 'client-77' } });
    expect(logIds).toHaveLength(1);
    expect(await api.logs.get.query({ id: 'client-77', workspaceId: 'ws-w' })).toMatchObject({ id: logIds[0], workspaceId: 'ws-w', model: 'gpt-4o-mini' });
  });

  it('logs.list filters, pages with first/after -> nextCursor, and reports totalCount', async () => {
    const gpt = await api.logs.list.query({ workspaceId: WS, filter: { model: 'gpt-4o', isSuccess: true } });
    expect(named.names(gpt.items.map((i) => i.id))).toEqual(named.where((x) => x.model === 'gpt-4o' && x.status < 300));
    expect(gpt).toMatchObject({ totalCount: 2, nextCursor: null });

    const filter = { provider: ['openai', 'anthropic'], from: at(0), to: at(60) };
    const want = named.where((x) => ['openai', 'anthropic'].includes(x.provider) && x.at <= 60);
    const seen: string[] = [];
    let after: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await api.logs.list.query({ workspaceId: WS, filter, first: 2, after });
      expect(page.totalCount).toBe(want.length);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...named.names(page.items.map((x) => x.id)));
      if (!page.nextCursor) break;
      after = page.nextCursor;
    }
    expect(seen).toEqual(want);
  });

  /** Runs each call, expecting BAD_REQUEST whose data.details name the path; returns the mismatches. */
  async function badRequests(cases: [() => Promise<unknown>, string][]): Promise<string[]> {
    const failures: string[] = [];
    for (const [call, path] of cases) {
      const err = await trpcError(call());
      const paths = detailPaths((err.data as { details?: unknown } | undefined)?.details);
      if (err.data?.code !== 'BAD_REQUEST' || !paths.includes(path)) failures.push(`${path}: got ${err.data?.code} ${JSON.stringify(paths)}`);
    }
    return failures;
  }

  it('bad logs input is BAD_REQUEST with data.details naming each offending path; nothing is stored', async () => {
    expect(
      await badRequests([
        [() => api.logs.list.query({ workspaceId: WS, first: 1001 }), 'first'],
        [() => api.logs.list.query({ workspaceId: WS, filter: { minCost: -1 } }), 'filter.minCost'],
        [() => api.logs.list.query({ workspaceId: WS, filter: { statusCode: 42 } }), 'filter.statusCode'],
        [() => api.logs.list.query({ workspaceId: WS, after: 'garbage' }), 'after'],
        [() => api.exports.create.mutate({ workspaceId: WS, requestedData: [] }), 'requestedData'],
      ]),
    ).toEqual([]);
    // A bad log in a batch: nothing stored, the path points at the log and field.
    const bad = await trpcError(api.logs.ingest.mutate({ workspaceId: WS, logs: [specLog(SPECS.a!), { request: { body: {} }, response: { body: {} } }] }));
    expect(bad.data?.code).toBe('BAD_REQUEST');
    expect(detailPaths((bad.data as { details?: unknown }).details).some((p) => p.endsWith('1.request.url'))).toBe(true);
    expect((await api.logs.list.query({ workspaceId: WS, first: 1 })).totalCount).toBe(10);
  });

  it('bad export filters are BAD_REQUEST with data.details naming the filter field', async () => {
    const draft = await api.exports.create.mutate({ workspaceId: WS, requestedData: FIELDS });
    expect(
      await badRequests([
        [() => api.exports.create.mutate({ workspaceId: WS, requestedData: FIELDS, filters: { minCost: -1 } }), 'filters.minCost'],
        [() => api.exports.create.mutate({ workspaceId: WS, requestedData: FIELDS, filters: { minTokens: 9, maxTokens: 1 } }), 'filters.maxTokens'],
        [() => api.exports.update.mutate({ id: draft.id, filters: { statusCode: 42 } }), 'filters.statusCode'],
      ]),
    ).toEqual([]);
  });

  it('UNAUTHORIZED, FORBIDDEN and NOT_FOUND codes', async () => {
    expect((await trpcError(trpc(s.url, null).logs.list.query({}))).data?.code).toBe('UNAUTHORIZED');
    expect((await trpcError(trpc(s.url, 'lp-wrong-key').logs.get.query({ id: 'x' }))).data?.code).toBe('UNAUTHORIZED');
    expect((await trpcError(trpc(s.url, writeOnlyKey).logs.list.query({}))).data?.code).toBe('FORBIDDEN');
    expect((await trpcError(trpc(s.url, writeOnlyKey).exports.list.query())).data?.code).toBe('FORBIDDEN');
    const other = trpc(s.url, otherKey);
    expect((await trpcError(other.logs.get.query({ id: named.idOf.get('a')! }))).data?.code).toBe('NOT_FOUND');
    expect((await trpcError(other.logs.list.query({ workspaceId: WS }))).data?.code).toBe('FORBIDDEN');
    expect((await trpcError(api.logs.get.query({ id: 'never-sent', workspaceId: WS }))).data?.code).toBe('NOT_FOUND');
  });

  it('traces.get returns the tree; an unknown trace is NOT_FOUND', async () => {
    const t = 'tr-trpc';
    await api.logs.ingest.mutate({
      workspaceId: WS,
      logs: [
        spanLog(t, 'leaf', 'mid', 'leaf', at(203)),
        spanLog(t, 'mid', 'root', 'mid', at(201)),
        spanLog(t, 'root', undefined, 'root', at(200)),
        spanLog(t, 'side', 'root', 'side', at(202)),
      ],
    });
    const trace = await api.traces.get.query({ traceId: t, workspaceId: WS });
    expect(trace.spans.map((x) => x.spanId)).toEqual(['root', 'mid', 'side', 'leaf']);
    expect(trace.roots.map(shapeOf)).toEqual([
      {
        spanId: 'root',
        children: [
          { spanId: 'mid', children: [{ spanId: 'leaf', children: [] }] },
          { spanId: 'side', children: [] },
        ],
      },
    ]);
    expect(trace.roots[0]!.children[0]!.children[0]).toMatchObject({ parentSpanId: 'mid', spanName: 'leaf', model: 'gpt-4o' });
    expect((await trpcError(api.traces.get.query({ traceId: 'tr-none', workspaceId: WS }))).data?.code).toBe('NOT_FOUND');
    expect((await trpcError(trpc(s.url, otherKey).traces.get.query({ traceId: t }))).data?.code).toBe('NOT_FOUND');
  });

  it('exports: create -> update -> start -> success -> downloadUrl, with CONFLICT and NOT_FOUND where due', async () => {
    const draft = await api.exports.create.mutate({
      workspaceId: WS,
      description: 'failures',
      filters: { isSuccess: false },
      requestedData: FIELDS,
      format: 'jsonl',
    });
    expect(draft).toMatchObject({
      workspaceId: WS,
      status: 'draft',
      total: 3,
      processed: 0,
      progress: 0,
      filters: { isSuccess: false },
      requestedData: FIELDS,
      format: 'jsonl',
      compression: 'none',
      error: null,
    });
    expect((await trpcError(api.exports.downloadUrl.query({ id: draft.id }))).data?.code).toBe('CONFLICT');

    const updated = await api.exports.update.mutate({ id: draft.id, filters: { statusCode: [429, 500] }, description: 'throttled or broken' });
    expect(updated).toMatchObject({ status: 'draft', total: 2, description: 'throttled or broken', filters: { statusCode: [429, 500] } });
    expect((await api.exports.get.query({ id: draft.id })).total).toBe(2);
    expect((await api.exports.list.query({ workspaceId: WS })).map((e) => e.id)).toContain(draft.id);

    const other = trpc(s.url, otherKey);
    expect((await trpcError(other.exports.get.query({ id: draft.id }))).data?.code).toBe('NOT_FOUND');
    expect((await trpcError(other.exports.start.mutate({ id: draft.id }))).data?.code).toBe('NOT_FOUND');
    expect((await trpcError(other.exports.cancel.mutate({ id: draft.id }))).data?.code).toBe('NOT_FOUND');
    expect(await other.exports.list.query()).toEqual([]);

    const started = await api.exports.start.mutate({ id: draft.id });
    expect(['in_progress', 'success']).toContain(started.status);
    expect((await trpcError(api.exports.start.mutate({ id: draft.id }))).data?.code).toBe('CONFLICT');
    const done = await poll(
      'export success',
      () => api.exports.get.query({ id: draft.id }),
      (e) => e.status === 'success' || e.status === 'failed',
    );
    expect(done).toMatchObject({ status: 'success', total: 2, processed: 2, progress: 1 });
    expect((await trpcError(api.exports.update.mutate({ id: draft.id, description: 'late' }))).data?.code).toBe('CONFLICT');
    expect((await trpcError(api.exports.cancel.mutate({ id: draft.id }))).data?.code).toBe('CONFLICT');

    const link = await api.exports.downloadUrl.query({ id: draft.id });
    expect(Date.parse(link.expiresAt)).toBeGreaterThan(Date.now());
    const file = await downloadJsonl(link.url);
    expect(file.status).toBe(200);
    expect(named.names(file.rows.map((r) => r.id))).toEqual(named.where((x) => x.status === 429 || x.status === 500));
  });

  it('exports.cancel on a draft -> stopped, then start runs it again', async () => {
    const draft = await api.exports.create.mutate({ workspaceId: WS, requestedData: FIELDS, filters: { provider: 'anthropic' } });
    expect(await api.exports.cancel.mutate({ id: draft.id })).toMatchObject({ id: draft.id, status: 'stopped' });
    expect((await trpcError(api.exports.cancel.mutate({ id: draft.id }))).data?.code).toBe('CONFLICT');
    await api.exports.start.mutate({ id: draft.id });
    const done = await poll(
      'restart success',
      () => api.exports.get.query({ id: draft.id }),
      (e) => e.status === 'success' || e.status === 'failed',
    );
    expect(done).toMatchObject({ status: 'success', total: 2 });
  });

  it('exports.onStatus (SSE) yields the current state, then changes, and ends after success', async () => {
    const draft = await api.exports.create.mutate({ workspaceId: WS, requestedData: FIELDS, filters: { model: 'gpt-4o-mini' } });
    const live = trpcLive(s.url);
    const states: ExportState[] = [];
    let failure: unknown;
    const ended = new Promise<'complete' | 'error'>((resolve) => {
      live.exports.onStatus.subscribe(
        { id: draft.id },
        {
          onData: (e) => states.push(e),
          onError: (err) => {
            failure = err;
            resolve('error');
          },
          onComplete: () => resolve('complete'),
        },
      );
    });
    await poll('the first SSE event', async () => states.length > 0 || failure !== undefined, Boolean, 10_000);
    expect(states[0]).toMatchObject({ id: draft.id, status: 'draft', progress: 0, total: draft.total });
    await api.exports.start.mutate({ id: draft.id });
    const outcome = await Promise.race([ended, new Promise((r) => setTimeout(() => r('timeout'), 20_000))]);
    expect({ outcome, failure }).toEqual({ outcome: 'complete', failure: undefined });
    const progress = states.map((e) => e.progress);
    expect(progress).toEqual([...progress].sort((p, q) => p - q));
    expect(states.at(-1)).toMatchObject({ status: 'success', progress: 1, processed: draft.total });
    expect(states.slice(1).every((e) => e.status === 'in_progress' || e.status === 'success')).toBe(true);
  });

  it("exports.onStatus for another workspace's export fails with NOT_FOUND", async () => {
    const draft = await api.exports.create.mutate({ workspaceId: WS, requestedData: FIELDS });
    const err = await new Promise<unknown>((resolve) => {
      const sub = trpcLive(s.url, otherKey).exports.onStatus.subscribe(
        { id: draft.id },
        { onData: () => resolve(new Error('received data')), onError: resolve, onComplete: () => resolve(new Error('completed')) },
      );
      setTimeout(() => {
        sub.unsubscribe();
        resolve(new Error('no error within 5s (the client keeps reconnecting)'));
      }, 5_000);
    });
    expect((err as { data?: { code?: string } }).data?.code).toBe('NOT_FOUND');
  });
});
