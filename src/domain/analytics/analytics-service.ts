import { type Actor, requireScope, resolveWorkspace } from '../auth/actor.js';
import { DomainError } from '../errors.js';
import type { FeedbackRepository } from '../feedback/feedback-model.js';
import type { LogRepository } from '../logs/log-model.js';
import { BUCKET_GRAPHS, cacheSummary } from './analytics-graphs.js';
import type { GroupPage, RangeFilter } from './analytics-input.js';
import { aggregate, type AggregateResult } from './analytics-query.js';
import { FEEDBACK_GRAPHS } from './feedback-graphs.js';
import { addStats, emptyStats, type RollupStore } from './rollup-model.js';

/** The SDK's dashed spellings of graph paths, and the slashed ones of Portkey's description. */
const GRAPH_ALIASES: Record<string, string> = {
  'users-requests': 'users/requests',
  'errors-rate': 'errors/rate',
  'errors-stack': 'errors/stacks',
  'errors-status-code': 'errors/status-codes',
  'requests-rescued': 'requests/rescued',
  'cache-hit-rate': 'cache/hit-rate',
  'cache-latency': 'cache/latency',
  'feedbacks/score': 'feedbacks/scores',
};
export const GRAPH_NAMES = [...Object.keys(BUCKET_GRAPHS), ...Object.keys(FEEDBACK_GRAPHS)];
export const GROUP_NAMES = ['users', 'ai-models', 'workspaces', 'metadata'] as const;

export interface AnalyticsInput {
  workspaceId?: string | null;
  filter: RangeFilter;
}

export interface AnalyticsService {
  graph(actor: Actor, name: string, input: AnalyticsInput): Promise<unknown>;
  group(actor: Actor, by: string, input: AnalyticsInput & { page: GroupPage; metadataKey?: string }): Promise<unknown>;
  cacheSummary(actor: Actor, input: AnalyticsInput): Promise<unknown>;
}

export function createAnalyticsService(deps: { rollups: RollupStore; logs: LogRepository; feedback: FeedbackRepository }): AnalyticsService {
  const list = (rows: unknown[], page: GroupPage) => ({
    object: 'list',
    total: rows.length,
    data: rows.slice(page.currentPage * page.pageSize, (page.currentPage + 1) * page.pageSize),
  });

  async function groupRows(by: string, workspaceId: string, actor: Actor, input: AnalyticsInput & { metadataKey?: string }): Promise<unknown[]> {
    if (by === 'ai-models') {
      const agg = await aggregate(deps, workspaceId, input.filter, { hist: false, users: false });
      const byModel = new Map<string, ReturnType<typeof emptyStats>>();
      for (const b of agg.buckets)
        for (const c of b.combos.values()) {
          let s = byModel.get(c.combo.model);
          if (!s) byModel.set(c.combo.model, (s = emptyStats()));
          addStats(s, c.stats);
        }
      return [...byModel]
        .sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]))
        .map(([model, s]) => ({ ai_model: model || null, requests: String(s.n), cost: String(s.cost), object: 'analytics-group' }));
    }
    if (by === 'users') {
      const agg = await aggregate(deps, workspaceId, input.filter, { hist: false, users: true });
      const byUser = new Map<string, { n: number; cost: number }>();
      for (const b of agg.buckets)
        for (const [u, v] of b.users) {
          const acc = byUser.get(u) ?? { n: 0, cost: 0 };
          acc.n += v.n;
          acc.cost += v.cost;
          byUser.set(u, acc);
        }
      return [...byUser]
        .sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]))
        .map(([user, v]) => ({ user, requests: String(v.n), cost: String(v.cost), object: 'analytics-group' }));
    }
    if (by === 'workspaces') {
      const visible = actor.kind === 'workspace' ? [actor.workspaceId!] : await deps.rollups.workspaces();
      const rows = await Promise.all(
        visible.map(async (ws) => {
          const s = totalsOf(await aggregate(deps, ws, input.filter, { hist: false, users: false }));
          return { workspace_id: ws, requests: String(s.n), cost: String(s.cost), object: 'analytics-group', n: s.n };
        }),
      );
      return rows
        .filter((r) => r.n > 0)
        .sort((a, b) => b.n - a.n)
        .map(({ n: _n, ...r }) => r);
    }
    if (by === 'metadata') return metadataGroups(deps.logs, workspaceId, input.filter, input.metadataKey!);
    throw new DomainError('NOT_FOUND', `Unknown analytics group "${by}"; known groups: ${GROUP_NAMES.join(', ')}, metadata/{key}`);
  }

  return {
    async graph(actor, rawName, input) {
      requireScope(actor, 'logs.list');
      const name = GRAPH_ALIASES[rawName] ?? rawName;
      const workspaceId = resolveWorkspace(actor, input.workspaceId);
      const bucketGraph = BUCKET_GRAPHS[name];
      if (bucketGraph) return bucketGraph.render(await aggregate(deps, workspaceId, input.filter, bucketGraph.parts));
      const feedbackGraph = FEEDBACK_GRAPHS[name];
      if (feedbackGraph) return feedbackGraph(deps, workspaceId, input.filter);
      throw new DomainError('NOT_FOUND', `Unknown analytics graph "${rawName}"; known graphs: ${GRAPH_NAMES.join(', ')}`);
    },
    async group(actor, by, input) {
      requireScope(actor, 'logs.list');
      const workspaceId = resolveWorkspace(actor, input.workspaceId);
      return list(await groupRows(by, workspaceId, actor, input), input.page);
    },
    async cacheSummary(actor, input) {
      requireScope(actor, 'logs.list');
      return cacheSummary(await aggregate(deps, resolveWorkspace(actor, input.workspaceId), input.filter, { hist: false, users: false }));
    },
  };
}

function totalsOf(agg: AggregateResult) {
  const s = emptyStats();
  for (const b of agg.buckets) for (const c of b.combos.values()) addStats(s, c.stats);
  return s;
}

/** Metadata values are not rolled up (any key, any value): the matching logs of the range are read. */
async function metadataGroups(logs: LogRepository, workspaceId: string, filter: RangeFilter, key: string) {
  const groups = new Map<string, { n: number; cost: number; tokens: number; fbSum: number; fbN: number; last: number }>();
  for await (const r of logs.streamMatching(workspaceId, filter, {}, { withoutHeaders: true })) {
    const v = r.metadata[key];
    if (v === undefined) continue;
    let g = groups.get(v);
    if (!g) groups.set(v, (g = { n: 0, cost: 0, tokens: 0, fbSum: 0, fbN: 0, last: 0 }));
    g.n += 1;
    g.cost += r.derived.cost ?? 0;
    g.tokens += r.derived.totalTokens ?? 0;
    if (r.weightedFeedback !== undefined) {
      g.fbSum += r.weightedFeedback;
      g.fbN += 1;
    }
    g.last = Math.max(g.last, r.createdAt.getTime());
  }
  return [...groups]
    .sort((a, b) => b[1].n - a[1].n || a[0].localeCompare(b[0]))
    .map(([value, g]) => ({
      metadata_value: value,
      requests: g.n,
      cost: g.cost,
      avg_tokens: g.tokens / g.n,
      avg_weighted_feedback: g.fbN ? g.fbSum / g.fbN : 0,
      requests_with_feedback: g.fbN,
      last_seen: new Date(g.last).toISOString(),
      object: 'analytics-group',
    }));
}
