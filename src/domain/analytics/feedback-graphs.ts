import type { Feedback, FeedbackRepository } from '../feedback/feedback-model.js';
import type { LogRepository } from '../logs/log-model.js';
import type { RangeFilter } from './analytics-input.js';
import { bucketSizeFor } from './analytics-query.js';

/**
 * Feedback graphs read the feedback given in the range (a small collection next to the logs). When the filter
 * names anything beyond the time range, only feedback on traces with matching logs in the range counts.
 */
type Deps = { logs: LogRepository; feedback: FeedbackRepository };

async function feedbackInRange(deps: Deps, workspaceId: string, filter: RangeFilter): Promise<Feedback[]> {
  const all = await deps.feedback.listCreatedBetween(workspaceId, filter.from, filter.to);
  if (Object.keys(filter).every((k) => k === 'from' || k === 'to')) return all;
  const traces = new Set<string>();
  for await (const r of deps.logs.streamMatching(workspaceId, filter, {}, { withoutHeaders: true })) if (r.traceId) traces.add(r.traceId);
  return all.filter((f) => traces.has(f.traceId));
}

function perBucket(filter: RangeFilter, items: Feedback[]) {
  const size = bucketSizeFor(filter.from, filter.to);
  const origin = filter.from.getTime() - (filter.from.getTime() % size);
  const buckets: { t: number; items: Feedback[] }[] = [];
  for (let t = origin; t <= filter.to.getTime(); t += size) buckets.push({ t, items: [] });
  for (const f of items) buckets[Math.floor((f.createdAt.getTime() - origin) / size)]?.items.push(f);
  return buckets;
}

const weightedMean = (items: Feedback[]) => {
  let vw = 0;
  let w = 0;
  for (const f of items) {
    vw += f.value * f.weight;
    w += f.weight;
  }
  return w ? vw / w : 0;
};
const iso = (t: number) => new Date(t).toISOString();
const graph = (summary: unknown, data_points: unknown[]) => ({ object: 'analytics-graph', summary, data_points });

export const FEEDBACK_GRAPHS: Record<string, (deps: Deps, workspaceId: string, filter: RangeFilter) => Promise<unknown>> = {
  async feedbacks(deps, ws, filter) {
    const items = await feedbackInRange(deps, ws, filter);
    return graph(
      { total: items.length },
      perBucket(filter, items).map((b) => ({ timestamp: iso(b.t), total: b.items.length })),
    );
  },
  async 'feedbacks/scores'(deps, ws, filter) {
    const items = await feedbackInRange(deps, ws, filter);
    const counts = new Map<number, number>();
    for (const f of items) counts.set(f.value, (counts.get(f.value) ?? 0) + 1);
    return graph(
      { total: items.length },
      [...counts].sort((a, b) => a[0] - b[0]).map(([score, total]) => ({ score, total })),
    );
  },
  async 'feedbacks/weighted'(deps, ws, filter) {
    const items = await feedbackInRange(deps, ws, filter);
    return graph(
      { avg: weightedMean(items) },
      perBucket(filter, items).map((b) => ({ timestamp: iso(b.t), avg: weightedMean(b.items) })),
    );
  },
  async 'feedbacks/ai-models'(deps, ws, filter) {
    const items = await feedbackInRange(deps, ws, filter);
    const traces = [...new Set(items.map((f) => f.traceId))];
    const modelOf = new Map<string, string>();
    if (traces.length) {
      for await (const r of deps.logs.streamMatching(ws, { ...filter, traceId: traces }, {}, { withoutHeaders: true })) {
        if (r.traceId && r.derived.model && !modelOf.has(r.traceId)) modelOf.set(r.traceId, r.derived.model);
      }
    }
    const byModel = new Map<string, Feedback[]>();
    for (const f of items) {
      const m = modelOf.get(f.traceId);
      if (m) byModel.set(m, [...(byModel.get(m) ?? []), f]);
    }
    return graph(
      {},
      [...byModel].sort((a, b) => b[1].length - a[1].length).map(([ai_model, fs]) => ({ ai_model, total: fs.length, avg_weighted_feedback: weightedMean(fs) })),
    );
  },
};
