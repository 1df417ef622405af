import { fromAnalyticsQuery } from '../../domain/analytics/analytics-input.js';
import type { AuthedContext, Route } from '../http.js';
import { sendJson } from '../http.js';
import type { RestDeps } from './deps.js';

/**
 * Portkey's /v1/analytics: graphs (both the description's slashed paths, e.g. errors/rate, and the SDK's dashed
 * ones, e.g. errors-rate), groups and the cache summary. Filters are query parameters; the time range is required.
 */
export function analyticsRoutes({ services }: RestDeps): Route[] {
  const input = (ctx: AuthedContext) => {
    const { filter, page, workspaceSlug } = fromAnalyticsQuery(Object.fromEntries(ctx.query));
    return { filter, page, workspaceId: ctx.workspaceId ?? workspaceSlug };
  };
  const graph = (name: (ctx: AuthedContext) => string) => async (ctx: AuthedContext) => {
    sendJson(ctx.res, 200, await services.analytics.graph(ctx.actor, name(ctx), input(ctx)));
  };
  return [
    { method: 'GET', path: '/v1/analytics/graphs/:graph/:detail', auth: 'key', handler: graph((ctx) => `${ctx.params.graph}/${ctx.params.detail}`) },
    { method: 'GET', path: '/v1/analytics/graphs/:graph', auth: 'key', handler: graph((ctx) => ctx.params.graph!) },
    {
      method: 'GET',
      path: '/v1/analytics/groups/metadata/:metadataKey',
      auth: 'key',
      async handler(ctx) {
        sendJson(ctx.res, 200, await services.analytics.group(ctx.actor, 'metadata', { ...input(ctx), metadataKey: ctx.params.metadataKey! }));
      },
    },
    {
      method: 'GET',
      path: '/v1/analytics/groups/:groupBy',
      auth: 'key',
      async handler(ctx) {
        sendJson(ctx.res, 200, await services.analytics.group(ctx.actor, ctx.params.groupBy!, input(ctx)));
      },
    },
    {
      method: 'GET',
      path: '/v1/analytics/summary/cache',
      auth: 'key',
      async handler(ctx) {
        sendJson(ctx.res, 200, await services.analytics.cacheSummary(ctx.actor, input(ctx)));
      },
    },
  ];
}
