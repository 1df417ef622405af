import { parseAnalyticsFilter, parseGroupPage } from '../../../domain/analytics/analytics-input.js';
import type { Resolvers } from '../generated/resolvers-types.js';

export const analyticsResolvers: Resolvers = {
  Query: {
    analytics: (_p, { filter, workspaceId }) => ({ filter: parseAnalyticsFilter(filter), workspaceId }),
  },
  Analytics: {
    graph: async (input, { name }, ctx) => ctx.services.analytics.graph(await ctx.actor(), name, input),
    group: async (input, { by, metadataKey, currentPage, pageSize }, ctx) =>
      ctx.services.analytics.group(await ctx.actor(), by, { ...input, page: parseGroupPage({ currentPage, pageSize }), ...(metadataKey && { metadataKey }) }),
    cacheSummary: async (input, _a, ctx) => ctx.services.analytics.cacheSummary(await ctx.actor(), input),
  },
};
