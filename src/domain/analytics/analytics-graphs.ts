import { type Histogram, mergeInto, percentiles } from './latency-histogram.js';
import { addStats, emptyStats, type Stats } from './rollup-model.js';
import type { AggregateResult, Bucket } from './analytics-query.js';

/**
 * Portkey's graph responses from aggregated buckets. Figures are exact (costs are not rounded to whole cents);
 * percentiles come from the latency histograms (within 1%). Figures Logport cannot know (cache hits,
 * rescued requests) are zeros in the documented shape.
 */
const iso = (t: number) => new Date(t).toISOString();
const ratio = (a: number, b: number) => (b ? a / b : 0);

function totals(b: Bucket): Stats {
  const s = emptyStats();
  for (const c of b.combos.values()) addStats(s, c.stats);
  return s;
}
function histOf(b: Bucket): Histogram {
  const h: Histogram = new Map();
  for (const c of b.combos.values()) mergeInto(h, c.hist);
  return h;
}
function overall(agg: AggregateResult) {
  const s = emptyStats();
  for (const b of agg.buckets) addStats(s, totals(b));
  return s;
}
const graph = (summary: unknown, data_points: unknown[]) => ({ object: 'analytics-graph', summary, data_points });

function errorCounts(buckets: Bucket[]): Map<number, number> {
  const m = new Map<number, number>();
  for (const b of buckets) for (const c of b.combos.values()) if (c.stats.e) m.set(c.combo.status, (m.get(c.combo.status) ?? 0) + c.stats.e);
  return m;
}

export type GraphFromBuckets = (agg: AggregateResult) => unknown;

export const BUCKET_GRAPHS: Record<string, { parts: { hist: boolean; users: boolean }; render: GraphFromBuckets }> = {
  requests: {
    parts: { hist: false, users: false },
    render: (agg) =>
      graph(
        { total: overall(agg).n },
        agg.buckets.map((b) => ({ timestamp: iso(b.t), total: totals(b).n })),
      ),
  },
  cost: {
    parts: { hist: false, users: false },
    render: (agg) => {
      const s = overall(agg);
      return graph(
        { total: s.cost, avg: ratio(s.cost, s.n) },
        agg.buckets.map((b) => {
          const t = totals(b);
          return { timestamp: iso(b.t), total: t.cost, avg: ratio(t.cost, t.n) };
        }),
      );
    },
  },
  tokens: {
    parts: { hist: false, users: false },
    render: (agg) => {
      const s = overall(agg);
      return graph(
        { total: s.totTokens, avg: ratio(s.totTokens, s.n) },
        agg.buckets.map((b) => {
          const t = totals(b);
          return { timestamp: iso(b.t), total: t.totTokens, avg: ratio(t.totTokens, t.n) };
        }),
      );
    },
  },
  latency: {
    parts: { hist: true, users: false },
    render: (agg) => {
      const all: Histogram = new Map();
      const points = agg.buckets.map((b) => {
        const t = totals(b);
        const h = histOf(b);
        mergeInto(all, h);
        const [p50, p90, p99] = percentiles(h, [0.5, 0.9, 0.99]);
        return { timestamp: iso(b.t), avg: ratio(t.latSum, t.latN), p50, p90, p99 };
      });
      const s = overall(agg);
      const [p50, p90, p99] = percentiles(all, [0.5, 0.9, 0.99]);
      return graph({ avg: ratio(s.latSum, s.latN), p50, p90, p99 }, points);
    },
  },
  users: {
    parts: { hist: false, users: true },
    render: (agg) => {
      const all = new Set<string>();
      const points = agg.buckets.map((b) => {
        for (const u of b.users.keys()) all.add(u);
        return { timestamp: iso(b.t), total: b.users.size };
      });
      return graph({ total: all.size }, points);
    },
  },
  'users/requests': {
    parts: { hist: false, users: true },
    render: (agg) => {
      const all = new Set<string>();
      let total = 0;
      const points = agg.buckets.map((b) => {
        let n = 0;
        for (const [u, v] of b.users) {
          all.add(u);
          n += v.n;
        }
        total += n;
        return { timestamp: iso(b.t), avg: ratio(n, b.users.size) };
      });
      return graph({ total, unique: all.size, avg: ratio(total, all.size) }, points);
    },
  },
  errors: {
    parts: { hist: false, users: false },
    render: (agg) =>
      graph(
        { total: overall(agg).e },
        agg.buckets.map((b) => ({ timestamp: iso(b.t), total: totals(b).e })),
      ),
  },
  'errors/rate': {
    parts: { hist: false, users: false },
    render: (agg) => {
      const s = overall(agg);
      return graph(
        { rate: ratio(s.e * 100, s.n) },
        agg.buckets.map((b) => {
          const t = totals(b);
          return { timestamp: iso(b.t), rate: ratio(t.e * 100, t.n) };
        }),
      );
    },
  },
  'errors/stacks': {
    parts: { hist: false, users: false },
    render: (agg) =>
      graph(
        { total: overall(agg).e },
        agg.buckets.map((b) => ({
          timestamp: iso(b.t),
          stats: [...errorCounts([b])].sort((x, y) => x[0] - y[0]).map(([response_status_code, count]) => ({ response_status_code, count })),
        })),
      ),
  },
  'errors/status-codes': {
    parts: { hist: false, users: false },
    render: (agg) => {
      const counts = [...errorCounts(agg.buckets)].sort((x, y) => y[1] - x[1] || x[0] - y[0]);
      return graph(
        { total_errors: counts.reduce((a, [, n]) => a + n, 0), unique_error_codes: counts.length },
        counts.map(([status_code, count]) => ({ status_code, count })),
      );
    },
  },
  'requests/rescued': {
    parts: { hist: false, users: false },
    render: (agg) =>
      graph(
        { retry: 0, fallback: 0 },
        agg.buckets.map((b) => ({ timestamp: iso(b.t), retry: [], fallback: 0 })),
      ),
  },
  'cache/hit-rate': {
    parts: { hist: false, users: false },
    render: (agg) =>
      graph(
        { total: 0, rate: 0 },
        agg.buckets.map((b) => ({
          timestamp: iso(b.t),
          simple_hits: 0,
          semantic_hits: 0,
          rate: 0,
          cumulative_simple_cache_savings: 0,
          cumulative_semantic_cache_savings: 0,
        })),
      ),
  },
  'cache/latency': {
    parts: { hist: false, users: false },
    render: (agg) =>
      graph(
        {},
        agg.buckets.map((b) => ({ timestamp: iso(b.t), avg: 0 })),
      ),
  },
};

/** GET /analytics/summary/cache: request count known, cache figures zero. */
export const cacheSummary = (agg: AggregateResult) => ({
  object: 'analytics-summary',
  summary: { hits: 0, avg_latency: 0, total_requests: overall(agg).n, cache_speedup: 0 },
});
