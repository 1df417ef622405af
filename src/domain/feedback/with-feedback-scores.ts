import type { LogFilter } from '../logs/log-filter.js';
import type { LogRecord, LogRepository } from '../logs/log-model.js';
import { type FeedbackRepository, type TraceFeedback, weightedScore } from './feedback-model.js';

/**
 * Logs carry no feedback of their own: a log's `weightedFeedback` is its trace's, resolved at read time from
 * the per-trace sums. So feedback given before or after a log arrives applies to it alike, a feedback write
 * never rewrites logs, and ingest pays nothing. This wraps any log repository (whatever its storage layout):
 * - a weighted-feedback range in a filter becomes the list of trace ids whose score is in range;
 * - every log read gets its trace's score attached.
 */
export function withFeedbackScores(logs: LogRepository, feedback: FeedbackRepository): LogRepository {
  /** The filter without feedback bounds, restricted to the traces in range; null when none can match. */
  async function resolve(workspaceId: string, filter: LogFilter): Promise<{ filter: LogFilter; scores?: Map<string, TraceFeedback> } | null> {
    const { minWeightedFeedback: lo, maxWeightedFeedback: hi, ...rest } = filter;
    if (lo === undefined && hi === undefined) return { filter };
    const scores = await feedback.traceSummaries(workspaceId);
    const wanted = rest.traceId && new Set(rest.traceId);
    const traces: string[] = [];
    for (const [traceId, t] of scores) {
      const s = weightedScore(t);
      if (s === undefined || (lo !== undefined && s < lo) || (hi !== undefined && s > hi)) continue;
      if (!wanted || wanted.has(traceId)) traces.push(traceId);
    }
    return traces.length ? { filter: { ...rest, traceId: traces }, scores } : null;
  }

  async function attachEach(workspaceId: string, records: LogRecord[]): Promise<LogRecord[]> {
    const traceIds = [...new Set(records.map((r) => r.traceId).filter((t): t is string => !!t))];
    const found = await Promise.all(traceIds.map((t) => feedback.traceSummary(workspaceId, t)));
    const byTrace = new Map(traceIds.map((t, i) => [t, found[i]]));
    return records.map((r) => withScore(r, r.traceId ? byTrace.get(r.traceId) : undefined));
  }

  return {
    ...logs,
    insertMany: (records) => logs.insertMany(records),
    async findById(id) {
      const r = await logs.findById(id);
      return r && (await attachEach(r.workspaceId, [r]))[0]!;
    },
    async findByTrace(workspaceId, traceId, limit) {
      const spans = await logs.findByTrace(workspaceId, traceId, limit);
      const t = spans.length ? await feedback.traceSummary(workspaceId, traceId) : undefined;
      return spans.map((r) => withScore(r, t));
    },
    async countMatching(workspaceId, filter, page, opts) {
      const r = await resolve(workspaceId, filter);
      return r ? logs.countMatching(workspaceId, r.filter, page, opts) : 0;
    },
    async listMatching(workspaceId, filter, page) {
      const r = await resolve(workspaceId, filter);
      return r ? attachEach(workspaceId, await logs.listMatching(workspaceId, r.filter, page)) : [];
    },
    async *streamMatching(workspaceId, filter, page, opts) {
      const r = await resolve(workspaceId, filter);
      if (!r) return;
      // One read of the workspace's trace sums serves the whole stream.
      const scores = r.scores ?? (await feedback.traceSummaries(workspaceId));
      for await (const rec of logs.streamMatching(workspaceId, r.filter, page, opts)) {
        yield scores.size && rec.traceId ? withScore(rec, scores.get(rec.traceId)) : rec;
      }
    },
  };
}

function withScore(r: LogRecord, t: TraceFeedback | undefined): LogRecord {
  const s = weightedScore(t);
  return s === undefined ? r : { ...r, weightedFeedback: s };
}
