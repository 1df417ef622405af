import type { LogSortField as DomainSortField } from '../../../domain/browse/browse-model.js';
import type { SuggestionField as DomainSuggestionField } from '../../../domain/browse/suggestions.js';
import { logView } from '../../log-view.js';
import type { LogSort, LogSortField, Resolvers, SuggestionField } from '../generated/resolvers-types.js';

const SORT_FIELDS: Record<LogSortField, DomainSortField> = { CREATED_AT: 'createdAt', COST: 'cost', TOTAL_TOKENS: 'totalTokens', LATENCY: 'latency' };
const SUGGESTION_FIELDS: Record<SuggestionField, DomainSuggestionField> = {
  MODEL: 'model',
  PROVIDER: 'provider',
  STATUS_CODE: 'statusCode',
  METADATA_KEY: 'metadataKey',
};

/** GraphQL's LogSort in domain terms. */
export function domainSort(sort: LogSort | null | undefined) {
  return sort ? { field: SORT_FIELDS[sort.field], direction: sort.direction === 'ASC' ? ('asc' as const) : ('desc' as const) } : undefined;
}

const asDate = (v: Date | string | null | undefined) => (v === null || v === undefined ? undefined : new Date(v));

export const browseResolvers: Resolvers = {
  Query: {
    async traces(_p, { filter, first, after, workspaceId }, ctx) {
      const page = await ctx.services.browse.traces(await ctx.actor(), { filter, first, after, workspaceId });
      return {
        edges: page.items.map((node, i) => ({ cursor: page.cursors[i]!, node })),
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
      };
    },
    async logSuggestions(_p, { field, prefix, first, since, workspaceId }, ctx) {
      return ctx.services.browse.suggest(await ctx.actor(), { field: SUGGESTION_FIELDS[field], prefix, first, since: asDate(since), workspaceId });
    },
    async searchLogBodies(_p, { text, filter, first, workspaceId }, ctx) {
      const r = await ctx.services.browse.searchBodies(await ctx.actor(), { text, filter, first, workspaceId });
      return { logs: r.items.map(logView), scanned: r.scanned, complete: r.complete, resumeBefore: r.resumeBefore };
    },
  },
  Subscription: {
    logsAdded: {
      subscribe: async (_p, { filter, workspaceId }, ctx) => {
        const stream = await ctx.services.browse.tail(await ctx.actor(), { filter, workspaceId });
        return (async function* () {
          for await (const batch of stream) yield { logsAdded: batch.map(logView) };
        })();
      },
    },
  },
};
