import { Portkey } from 'portkey-ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql } from '../helpers/graphql.js';
import { call } from '../helpers/http.js';
import { trpc } from '../helpers/typed.js';
import { exportRows, seedLogs } from '../helpers/exports.js';
import { ROOT_KEY, startTestServer, type TestServer } from '../helpers/server.js';
import { chatLog, openAiChatResponse } from '../logs/fixtures.js';

const T0 = Date.parse('2025-03-10T00:00:00.000Z');
const MODELS = [
  ['openai', 'gpt-4o'],
  ['openai', 'gpt-4o-mini'],
  ['anthropic', 'claude-3-5-sonnet'],
] as const;
const STATUSES = [200, 200, 200, 200, 429, 500];

/** 240 logs over three days at odd milliseconds, so range edges cut through seconds. */
function dataset() {
  let seed = 7;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: 240 }, (_, i) => {
    const [provider, model] = MODELS[i % 3]!;
    const status = STATUSES[Math.floor(rnd() * STATUSES.length)]!;
    const at = new Date(T0 + Math.floor(rnd() * 3 * 86_400_000)).toISOString();
    const prompt = 10 + Math.floor(rnd() * 2000);
    const completion = Math.floor(rnd() * 800);
    const url = provider === 'openai' ? 'https://api.openai.com/v1/chat/completions' : 'https://api.anthropic.com/v1/messages';
    return chatLog({
      created_at: at,
      request: { url, method: 'POST', body: { model, messages: [{ role: 'user', content: 'hi' }] } },
      response: {
        status,
        body: openAiChatResponse(model, { prompt_tokens: prompt, completion_tokens: completion, total_tokens: prompt + completion }),
        response_time: Math.round(50 + rnd() ** 3 * 20_000),
      },
      metadata: { _user: `user-${i % 7}`, team: i % 2 ? 'search' : 'ads', trace_id: `an-trace-${i % 40}`, cost: (rnd() * 3).toFixed(6) },
    });
  });
}

const FIELDS = ['id', 'created_at', 'ai_model', 'ai_provider', 'cost', 'total_tokens', 'response_time', 'status_code', 'is_success', 'metadata'];
const nearestRank = (sorted: number[], p: number) => sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1]!;

describe('analytics through the unchanged SDK, exact against exports', () => {
  let s: TestServer;
  let portkey: Portkey;
  const range = {
    time_of_generation_min: new Date(T0 + 3_600_000 * 5 + 123).toISOString(),
    time_of_generation_max: new Date(T0 + 3_600_000 * 60 + 45_678).toISOString(),
  };
  beforeAll(async () => {
    s = await startTestServer();
    portkey = new Portkey({ apiKey: ROOT_KEY, baseURL: `${s.url}/v1` });
    const logs = dataset();
    await seedLogs(s, logs.slice(0, 150));
    // A retry of already stored logs (same ids) must not count twice.
    const withIds = logs.slice(150).map((l, i) => ({ ...l, id: `an-log-${i}` }));
    await seedLogs(s, withIds);
    await seedLogs(s, withIds.slice(0, 30));
  });
  afterAll(() => s.stop());

  for (const [label, extra, exportExtra] of [
    ['no filter', {}, {}],
    ['a model', { ai_org_model: 'openai__gpt-4o' }, { ai_org_model: 'openai__gpt-4o' }],
    ['status codes', { status_code: '429,500' }, { status_code: '429,500' }],
    ['metadata (read from the logs)', { metadata: JSON.stringify({ team: 'search' }) }, { metadata: { team: 'search' } }],
  ] as const) {
    it(`counts, costs, tokens, errors and latency equal the export's (${label})`, async () => {
      const q = { ...range, ...extra } as any;
      const { rows } = await exportRows(s, { filters: { ...range, ...exportExtra }, requested_data: FIELDS });
      expect(rows.length).toBeGreaterThan(5);
      const sum = (f: (r: any) => number) => rows.reduce((a, r) => a + f(r), 0);

      const requests: any = await portkey.analytics.graphs.requests(q);
      expect(requests.summary.total).toBe(rows.length);
      // Three-day range: daily buckets, each equal to the export's rows of that UTC day.
      expect(requests.data_points.map((p: any) => p.timestamp)).toEqual(['2025-03-10T00:00:00.000Z', '2025-03-11T00:00:00.000Z', '2025-03-12T00:00:00.000Z']);
      for (const p of requests.data_points) expect(p.total).toBe(rows.filter((r) => r.created_at.slice(0, 10) === p.timestamp.slice(0, 10)).length);

      const cost: any = await portkey.analytics.graphs.cost(q);
      expect(Math.abs(cost.summary.total - sum((r) => r.cost ?? 0))).toBeLessThan(1e-9);
      expect(Math.abs(cost.summary.avg - sum((r) => r.cost ?? 0) / rows.length)).toBeLessThan(1e-9);
      const tokens: any = await portkey.analytics.graphs.tokens(q);
      expect(tokens.summary.total).toBe(sum((r) => r.total_tokens ?? 0));
      const errors: any = await portkey.analytics.graphs.errors(q);
      expect(errors.summary.total).toBe(rows.filter((r) => !r.is_success).length);

      const latency: any = await portkey.analytics.graphs.latency(q);
      const lat = rows.map((r) => r.response_time as number).sort((a, b) => a - b);
      expect(latency.summary.avg).toBeCloseTo(sum((r) => r.response_time) / rows.length, 9);
      for (const [p, key] of [
        [0.5, 'p50'],
        [0.9, 'p90'],
        [0.99, 'p99'],
      ] as const) {
        const exact = nearestRank(lat, p);
        expect(Math.abs(latency.summary[key] - exact) / exact).toBeLessThan(0.01);
      }

      const models: any = await portkey.analytics.groups.aiModels(q);
      const byModel = new Map<string, number>();
      for (const r of rows) byModel.set(r.ai_model, (byModel.get(r.ai_model) ?? 0) + 1);
      expect(Object.fromEntries(models.data.map((d: any) => [d.ai_model, Number(d.requests)]))).toEqual(Object.fromEntries(byModel));

      const users: any = await portkey.analytics.groups.users(q);
      const byUser = new Map<string, { n: number; cost: number }>();
      for (const r of rows) {
        const u = byUser.get(r.metadata._user) ?? { n: 0, cost: 0 };
        u.n += 1;
        u.cost += r.cost ?? 0;
        byUser.set(r.metadata._user, u);
      }
      expect(users.total).toBe(byUser.size);
      for (const d of users.data) {
        expect(Number(d.requests)).toBe(byUser.get(d.user)!.n);
        expect(Math.abs(Number(d.cost) - byUser.get(d.user)!.cost)).toBeLessThan(1e-9);
      }
    });
  }

  it('answers every graph, group and summary the SDK calls, in the documented shapes, dashed and slashed paths alike', async () => {
    const q = range as any;
    const g = portkey.analytics.graphs as any;
    for (const name of [
      'requests',
      'cost',
      'latency',
      'tokens',
      'users',
      'usersRequests',
      'errors',
      'errors_rate',
      'errors_stack',
      'errors_status_code',
      'requests_rescued',
      'cache_hit_rate',
      'cache_latency',
      'feedbacks',
      'feedbacks_score',
      'feedbacks_weighted',
      'feedback_ai_models',
    ]) {
      const res = await g[name](q);
      expect(res.object, name).toBe('analytics-graph');
      expect(Array.isArray(res.data_points), name).toBe(true);
    }
    const slashed = await call(s.url, 'GET', `/v1/analytics/graphs/errors/rate?${new URLSearchParams(range)}`);
    const dashed = await call(s.url, 'GET', `/v1/analytics/graphs/errors-rate?${new URLSearchParams(range)}`);
    expect(slashed.status).toBe(200);
    expect(slashed.body).toEqual(dashed.body);
    const status: any = await g.errors_status_code(q);
    expect(status.summary.unique_error_codes).toBe(2);
    const rescued: any = await g.requests_rescued(q);
    expect(rescued.summary).toEqual({ retry: 0, fallback: 0 });

    const cache: any = await portkey.analytics.summary.cache(q);
    expect(cache.object).toBe('analytics-summary');
    expect(cache.summary.hits).toBe(0);
    const requests: any = await g.requests(q);
    expect(cache.summary.total_requests).toBe(requests.summary.total);

    const meta: any = await portkey.analytics.groups.metadata('team', q);
    expect(meta.data.map((d: any) => d.metadata_value).sort()).toEqual(['ads', 'search']);
    expect(meta.data.reduce((a: number, d: any) => a + d.requests, 0)).toBe(requests.summary.total);
    const ws: any = await portkey.analytics.groups.workspaces(q);
    expect(ws.data).toEqual([expect.objectContaining({ workspace_id: 'default', requests: String(requests.summary.total) })]);
    const grouped: any = await portkey.analytics.groups.groupedData('ai-models' as any, q);
    expect(grouped.total).toBe(3);
    const paged: any = await portkey.analytics.groups.users({ ...q, page_size: 2, current_page: 1 });
    expect(paged.data).toHaveLength(2);
  });

  it('GraphQL analytics(...) and tRPC analytics.* answer the same figures as REST', async () => {
    const q = { ...range, ai_model: 'gpt-4o-mini' } as any;
    const filter = { from: range.time_of_generation_min, to: range.time_of_generation_max, model: ['gpt-4o-mini'] };
    const rest: any = await portkey.analytics.graphs.cost(q);
    const restModels: any = await portkey.analytics.groups.aiModels(range as any);
    const g = await gql(s.url, 'query($f: LogFilter!) { analytics(filter: $f) { graph(name: "cost") models: group(by: "ai-models") } }', { f: filter });
    expect(g.body.errors).toBeUndefined();
    expect(g.body.data!.analytics.graph).toEqual(JSON.parse(JSON.stringify(rest)));
    const t = await trpc(s.url).analytics.graph.query({ name: 'cost', filter });
    expect(t).toEqual(g.body.data!.analytics.graph);
    const tm = await trpc(s.url).analytics.group.query({ by: 'ai-models', filter: { from: filter.from, to: filter.to } });
    expect(tm).toEqual(JSON.parse(JSON.stringify(restModels)));
    const noRange = await gql(s.url, '{ analytics(filter: {}) { graph(name: "cost") } }');
    expect(noRange.body.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });

  it('needs the time range and logs.list; bad filters are 400 with the parameter named', async () => {
    const missing = await call(s.url, 'GET', '/v1/analytics/graphs/requests');
    expect(missing.status).toBe(400);
    expect(missing.body.error.details.map((d: any) => d.path[0])).toEqual(['time_of_generation_min', 'time_of_generation_max']);
    const badMeta = await call(s.url, 'GET', `/v1/analytics/graphs/cost?${new URLSearchParams({ ...range, metadata: '{nope' })}`);
    expect(badMeta.status).toBe(400);
    expect(badMeta.body.error.details[0].path).toEqual(['metadata']);
    const unknown = await call(s.url, 'GET', `/v1/analytics/graphs/nope?${new URLSearchParams(range)}`);
    expect(unknown.status).toBe(404);
  });
});
