import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedLogs } from '../helpers/exports.js';
import { gql } from '../helpers/graphql.js';
import { createKey } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { at, gqlError, gqlOk, Named, NAMES, shapeOf, spanLog, specLog, SPECS, type Spec } from '../helpers/typed.js';

const WS = 'ws-typed';
const TRACES = 'ws-traces';
const LOG_FIELDS = `id workspaceId traceId spanId parentSpanId spanName createdAt provider model requestTokens responseTokens totalTokens
  cost costCurrency responseTimeMs statusCode isSuccess metadata request response`;
const LOG = `query($id: ID!, $ws: ID) { log(id: $id, workspaceId: $ws) { ${LOG_FIELDS} } }`;
const LOGS = `query($f: LogFilter, $first: Int, $after: String, $ws: ID) {
  logs(filter: $f, first: $first, after: $after, workspaceId: $ws) { totalCount edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }`;

describe('GraphQL: logs and traces', () => {
  let s: TestServer;
  let named: Named;
  let otherKey: string;
  let viewOnlyKey: string;

  beforeAll(async () => {
    s = await startTestServer({ JOBS_POLL_INTERVAL_MS: '100' });
    named = new Named(
      await seedLogs(
        s,
        NAMES.map((n) => specLog(SPECS[n]!)),
        { workspace: WS },
      ),
    );
    otherKey = (await createKey(s.url, { workspace: 'ws-b', scopes: ['logs.write', 'logs.view', 'logs.list', 'logs.export'] })).key;
    viewOnlyKey = (await createKey(s.url, { workspace: WS, scopes: ['logs.view'] })).key;
  });
  afterAll(() => s.stop());

  const list = async (f: Record<string, unknown>, first = 100) => {
    const d = await gqlOk(s.url, LOGS, { f, first, ws: WS });
    return { total: d.logs.totalCount as number, names: named.names(d.logs.edges.map((e: { node: { id: string } }) => e.node.id)) };
  };

  it('log(id) returns every documented field, normalised', async () => {
    const id = named.idOf.get('a')!;
    const { log } = await gqlOk(s.url, LOG, { id, ws: WS });
    const sent = specLog(SPECS.a!);
    expect(log).toMatchObject({
      id,
      workspaceId: WS,
      traceId: 'tr-1',
      spanId: 'sp-1',
      parentSpanId: null,
      spanName: null,
      createdAt: at(0),
      provider: 'openai',
      model: 'gpt-4o',
      requestTokens: 1000,
      responseTokens: 500,
      totalTokens: 1500,
      cost: 0.75,
      costCurrency: 'USD',
      responseTimeMs: 500,
      statusCode: 200,
      isSuccess: true,
    });
    expect(log.metadata).toMatchObject({ env: 'prod', team: 'search', prompt_slug: 'greet' });
    expect(log.request).toMatchObject({ url: sent.request.url, method: 'POST', body: sent.request.body });
    expect(log.response).toMatchObject({ status: 200, body: sent.response.body });
    const failed = (await gqlOk(s.url, LOG, { id: named.idOf.get('e')!, ws: WS })).log;
    expect(failed).toMatchObject({ statusCode: 500, isSuccess: false, totalTokens: null, model: 'claude-3-haiku', provider: 'anthropic' });
  });

  it("log(id) is null for a missing id and for another workspace's log, without errors", async () => {
    const id = named.idOf.get('a')!;
    for (const [vars, key] of [
      [{ id }, otherKey],
      [{ id, ws: 'ws-b' }, undefined],
      [{ id: '00000000-0000-4000-8000-000000000000', ws: WS }, undefined],
    ] as const) {
      const res = await gql(s.url, LOG, vars, key);
      expect(res.body).toEqual({ data: { log: null } });
    }
  });

  it.each<[string, Record<string, unknown>, (x: Spec) => boolean]>([
    ['model', { model: 'gpt-4o' }, (x) => x.model === 'gpt-4o'],
    ['model list', { model: ['gpt-4o', 'claude-3-haiku'] }, (x) => ['gpt-4o', 'claude-3-haiku'].includes(x.model)],
    ['provider (any case)', { provider: 'Anthropic' }, (x) => x.provider === 'anthropic'],
    ['statusCode list', { statusCode: [429, 500] }, (x) => [429, 500].includes(x.status)],
    ['isSuccess false', { isSuccess: false }, (x) => x.status >= 300],
    ['metadata pairs', { metadata: { env: 'prod', team: 'search' } }, (x) => x.meta?.env === 'prod' && x.meta?.team === 'search'],
    ['dotted metadata key', { metadata: { 'user.id': 'u-7' } }, (x) => x.meta?.['user.id'] === 'u-7'],
    ['cost range', { minCost: 0.5, maxCost: 2 }, (x) => x.cost >= 0.5 && x.cost <= 2],
    ['minTokens', { minTokens: 1000 }, (x) => (x.usage ? x.usage[0] + x.usage[1] >= 1000 : false)],
    ['token range', { minTokens: 100, maxTokens: 300 }, (x) => (x.usage ? x.usage[0] + x.usage[1] <= 300 : false)],
    ['from/to inclusive', { from: at(20), to: at(50) }, (x) => x.at >= 20 && x.at <= 50],
    ['traceId', { traceId: 'tr-1' }, (x) => x.meta?.trace_id === 'tr-1'],
    ['promptSlug', { promptSlug: 'greet' }, (x) => x.meta?.prompt_slug === 'greet'],
    ['combined', { provider: 'openai', isSuccess: true, maxCost: 0.5 }, (x) => x.provider === 'openai' && x.status < 300 && x.cost <= 0.5],
  ])('logs(filter: %s) returns exactly the matching logs, newest first', async (_name, filter, pred) => {
    const want = named.where(pred);
    expect(want.length).toBeGreaterThan(0);
    const got = await list(filter);
    expect(got.names).toEqual(want);
    expect(got.total).toBe(want.length);
  });

  it('first/after pages through every log once, in stable order, across a tie', async () => {
    const pages: string[][] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const d: any = await gqlOk(s.url, LOGS, { first: 3, after, ws: WS });
      const edges = d.logs.edges as { cursor: string; node: { id: string } }[];
      expect(d.logs.totalCount).toBe(10);
      expect(d.logs.pageInfo.endCursor).toBe(edges.at(-1)?.cursor ?? null);
      pages.push(named.names(edges.map((e) => e.node.id)));
      if (!d.logs.pageInfo.hasNextPage) break;
      after = d.logs.pageInfo.endCursor;
    }
    expect(pages.map((p) => p.length)).toEqual([3, 3, 3, 1]);
    expect(pages.flat()).toEqual(named.ordered(NAMES));
    // The same pages again: the order does not change between calls.
    const again = await gqlOk(s.url, LOGS, { first: 3, ws: WS });
    expect(named.names(again.logs.edges.map((e: { node: { id: string } }) => e.node.id))).toEqual(pages[0]);
  });

  it('first is capped at 1000 (BAD_USER_INPUT beyond); a foreign cursor is BAD_USER_INPUT', async () => {
    expect((await gqlOk(s.url, LOGS, { first: 1000, ws: WS })).logs.edges).toHaveLength(10);
    for (const vars of [{ first: 1001 }, { first: 0 }, { after: 'not-a-cursor' }]) {
      const r = await gqlError(s.url, LOGS, { ...vars, ws: WS });
      expect(r.code, JSON.stringify(vars)).toBe('BAD_USER_INPUT');
      expect(r.data?.logs ?? null).toBeNull();
    }
  });

  it('an invalid filter is BAD_USER_INPUT naming the field; an unknown filter field is rejected', async () => {
    const neg = await gqlError(s.url, LOGS, { f: { minCost: -1 }, ws: WS });
    expect(neg.code).toBe('BAD_USER_INPUT');
    expect(neg.details?.map((d) => d.path?.join('.'))).toContain('filter.minCost');
    const crossed = await gqlError(s.url, LOGS, { f: { minTokens: 10, maxTokens: 5 }, ws: WS });
    expect(crossed.code).toBe('BAD_USER_INPUT');
    expect(crossed.details?.map((d) => d.path?.join('.'))).toContain('filter.maxTokens');
    const unknown = await gqlError(s.url, LOGS, { f: { modelName: 'gpt-4o' }, ws: WS });
    expect(unknown.status).toBeGreaterThanOrEqual(400);
    expect(unknown.code).toBe('BAD_USER_INPUT');
  });

  it('UNAUTHENTICATED without a key, FORBIDDEN without the scope', async () => {
    const anon = await gqlError(s.url, LOGS, { ws: WS }, null);
    expect(anon.code).toBe('UNAUTHENTICATED');
    expect(anon.data?.logs ?? null).toBeNull();
    const forbidden = await gqlError(s.url, LOGS, {}, viewOnlyKey);
    expect(forbidden.code).toBe('FORBIDDEN');
    // The same key may read single logs (logs.view).
    expect((await gqlOk(s.url, LOG, { id: named.idOf.get('b')! }, viewOnlyKey)).log.model).toBe('gpt-4o-mini');
  });
});

describe('GraphQL: trace trees', () => {
  let s: TestServer;
  const TRACE = `query($t: ID!, $ws: ID) { trace(traceId: $t, workspaceId: $ws) {
    traceId spans { spanId } roots { id spanId spanName children { spanId parentSpanId children { spanId parentSpanId children { spanId } } } } } }`;

  beforeAll(async () => {
    s = await startTestServer({ JOBS_POLL_INTERVAL_MS: '100' });
    const t = 'tr-checkout';
    await seedLogs(
      s,
      [
        spanLog(t, 'sp-grandchild', 'sp-child', 'fetch-inventory', at(2)),
        spanLog(t, 'sp-sibling', 'sp-root', 'format-reply', at(3)),
        spanLog(t, 'sp-root', undefined, 'checkout-agent', at(0)),
        spanLog(t, 'sp-child', 'sp-root', 'plan-order', at(1)),
        spanLog(t, 'sp-orphan', 'sp-never-sent', 'late-callback', at(4)),
        spanLog('tr-unrelated', 'sp-root', undefined, 'other', at(0)),
      ],
      { workspace: TRACES },
    );
  });
  afterAll(() => s.stop());

  it('roots and children three levels deep, siblings in start order', async () => {
    const { trace } = await gqlOk(s.url, TRACE, { t: 'tr-checkout', ws: TRACES });
    expect(trace.traceId).toBe('tr-checkout');
    expect(trace.spans.map((x: { spanId: string }) => x.spanId)).toEqual(['sp-root', 'sp-child', 'sp-grandchild', 'sp-sibling', 'sp-orphan']);
    expect(trace.roots.map(shapeOf)).toEqual([
      {
        spanId: 'sp-root',
        children: [
          { spanId: 'sp-child', children: [{ spanId: 'sp-grandchild', children: [] }] },
          { spanId: 'sp-sibling', children: [] },
        ],
      },
      { spanId: 'sp-orphan', children: [] },
    ]);
    expect(trace.roots[0].spanName).toBe('checkout-agent');
    expect(trace.roots[0].children[0].children[0].parentSpanId).toBe('sp-child');
  });

  it('children also resolve from a log fetched on its own', async () => {
    const { trace } = await gqlOk(s.url, TRACE, { t: 'tr-checkout', ws: TRACES });
    const d = await gqlOk(s.url, `query($id: ID!, $ws: ID) { log(id: $id, workspaceId: $ws) { spanId children { spanId children { spanId } } } }`, {
      id: trace.roots[0].id,
      ws: TRACES,
    });
    expect(shapeOf(d.log)).toEqual(shapeOf(trace.roots[0]));
  });

  it('an unknown trace, or one in another workspace, is null', async () => {
    expect((await gql(s.url, TRACE, { t: 'tr-never' })).body).toEqual({ data: { trace: null } });
    expect((await gql(s.url, TRACE, { t: 'tr-checkout', ws: 'ws-elsewhere' })).body).toEqual({ data: { trace: null } });
  });

  it('walks a 30-span trace through nested children, reaching every span once under its parent', async () => {
    const t = 'tr-wide';
    const logs = [spanLog(t, 'r', undefined, 'root', at(100))];
    let minute = 101;
    for (let c = 1; c <= 4; c++) {
      logs.push(spanLog(t, `c${c}`, 'r', `child-${c}`, at(minute++)));
      for (let g = 1; g <= 6; g++) logs.push(spanLog(t, `c${c}.${g}`, `c${c}`, `leaf-${c}-${g}`, at(minute++)));
    }
    logs.push(spanLog(t, 'c1.1.1', 'c1.1', 'deepest', at(minute++)));
    expect(logs).toHaveLength(30);
    await seedLogs(s, logs.reverse(), { workspace: TRACES });
    const q = `query($t: ID!, $ws: ID) { trace(traceId: $t, workspaceId: $ws) { spans { id } roots { spanId parentSpanId
      children { spanId parentSpanId children { spanId parentSpanId children { spanId parentSpanId children { spanId } } } } } } }`;
    const { trace } = await gqlOk(s.url, q, { t, ws: TRACES });
    expect(trace.spans).toHaveLength(30);
    const seen: string[] = [];
    const walk = (n: { spanId: string; parentSpanId?: string | null; children?: any[] }, parent: string | null) => {
      seen.push(n.spanId);
      if (n.parentSpanId !== undefined) expect(n.parentSpanId).toBe(parent);
      (n.children ?? []).forEach((ch) => walk(ch, n.spanId));
    };
    expect(trace.roots).toHaveLength(1);
    walk(trace.roots[0], null);
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
    expect(trace.roots[0].children.map((c: { spanId: string }) => c.spanId)).toEqual(['c1', 'c2', 'c3', 'c4']);
    expect(trace.roots[0].children[2].children.map((c: { spanId: string }) => c.spanId)).toEqual(['c3.1', 'c3.2', 'c3.3', 'c3.4', 'c3.5', 'c3.6']);
    expect(trace.roots[0].children[0].children[0].children.map((c: { spanId: string }) => c.spanId)).toEqual(['c1.1.1']);
  });

  it('rejects abusive queries (15 levels of children, alias floods, huge cost) as client errors, with no data', async () => {
    const nested = Array.from({ length: 15 }).reduce<string>((inner) => `children { spanId ${inner} }`, 'spanId');
    const aliases = Array.from({ length: 40 }, (_, i) => `a${i}: viewer { keyId }`).join(' ');
    const cases: [string, string, RegExp][] = [
      ['depth', `query($t: ID!) { trace(traceId: $t) { roots { ${nested} } } }`, /depth/i],
      ['aliases', `query($t: ID!) { ${aliases} }`, /alias/i],
      [
        'cost',
        `query($t: ID!) { logs(first: 1000) { edges { node { children { children { children { children { id } } } } } } } trace(traceId: $t) { traceId } }`,
        /cost/i,
      ],
    ];
    for (const [what, query, mentions] of cases) {
      const res = await gql(s.url, query, { t: 'tr-checkout' });
      expect(res.body.data ?? null, what).toBeNull();
      expect(res.body.errors?.length, what).toBeGreaterThan(0);
      // A refused query is the client's fault: 400 with a message saying why, never an internal error.
      expect({ what, status: res.status }).toEqual({ what, status: 400 });
      expect(res.body.errors?.[0]?.extensions?.code, what).not.toBe('INTERNAL_SERVER_ERROR');
      expect(res.body.errors?.[0]?.message, what).toMatch(mentions);
    }
  });
});
