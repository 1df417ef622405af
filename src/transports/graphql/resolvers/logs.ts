import { logView, type LogView } from '../../log-view.js';
import { type GraphQLContext, indexTrace } from '../context.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import { domainSort } from './browse.js';
import { nullIfMissing } from './null-if-missing.js';

/** Children indexed by parent span id, for the whole trace a log belongs to (loaded once per operation). */
async function childrenOf(view: LogView, ctx: GraphQLContext): Promise<LogView[]> {
  if (!view.traceId || !view.spanId) return [];
  const key = `${view.workspaceId}\n${view.traceId}`;
  let trace = ctx.traces.get(key);
  if (!trace) {
    trace = ctx
      .actor()
      .then((actor) => nullIfMissing(ctx.services.traces.get(actor, { traceId: view.traceId!, workspaceId: view.workspaceId })))
      .then((t) => t && indexTrace(t));
    ctx.traces.set(key, trace);
  }
  const node = (await trace)?.nodeByLogId.get(view.id);
  return node?.children.map((c) => logView(c.log)) ?? [];
}

export const logResolvers: Resolvers = {
  Query: {
    async log(_p, { id, workspaceId }, ctx) {
      const actor = await ctx.actor();
      const r = await nullIfMissing(ctx.services.logs.get(actor, { id, workspaceId }));
      return r && logView(r);
    },
    async logs(_p, { filter, first, after, workspaceId, sort }, ctx) {
      const actor = await ctx.actor();
      const page = await ctx.services.logs.list(actor, { filter, first, after, workspaceId, sort: domainSort(sort) });
      return {
        totalCount: page.totalCount,
        edges: page.items.map((r, i) => ({ cursor: page.cursors[i]!, node: logView(r) })),
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
      };
    },
    async trace(_p, { traceId, workspaceId }, ctx) {
      const actor = await ctx.actor();
      const t = await nullIfMissing(ctx.services.traces.get(actor, { traceId, workspaceId }));
      if (!t) return null;
      ctx.traces.set(`${t.spans[0]!.workspaceId}\n${traceId}`, Promise.resolve(indexTrace(t)));
      return { traceId: t.traceId, spans: t.spans.map(logView), roots: t.roots.map((n) => logView(n.log)) };
    },
  },
  Log: {
    createdAt: (v) => v.createdAt,
    children: (v, _a, ctx) => childrenOf(v, ctx),
  },
};
