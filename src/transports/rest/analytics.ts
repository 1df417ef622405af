import { fromAnalyticsQuery } from '../../domain/analytics/analytics-input.js';
import type { HttpContext, Route } from '../http.js';
import { sendJson } from '../http.js';
import type { RestDeps } from './deps.js';
import { requestedWorkspace } from './logs.js';

/**
 * Portkey's /v1/analytics: graphs (both the description's slashed paths, e.g. errors/rate, and the SDK's dashed
 * ones, e.g. errors-rate), groups and the cache summary. Filters are query parameters; the time range is required.
 */
export function analyticsRoutes({ services, authenticate }: RestDeps): Route[] {
  const input = (ctx: HttpContext) => {
    const { filter, page, workspaceSlug } = fromAnalyticsQuery(Object.fromEntries(ctx.query));
    return { filter, page, workspaceId: requestedWorkspace(ctx) ?? workspaceSlug };
  };
  const graph = (name: (ctx: HttpContext) => string): Route['handler'] => async (ctx) => {
    const actor = await authenticate(ctx);
    sendJson(ctx.res, 200, await services.analytics.graph(actor, name(ctx), input(ctx)));
  };
  return [
    { method: 'GET', path: '/v1/analytics/graphs/:graph/:detail', handler: graph((ctx) => `${ctx.params.graph}/${ctx.params.detail}`) },
    { method: 'GET', path: '/v1/analytics/graphs/:graph', handler: graph((ctx) => ctx.params.graph!) },
    {
      method: 'GET',
      path: '/v1/analytics/groups/metadata/:metadataKey',
      async handler(ctx) {
        const actor = await authenticate(ctx);
        sendJson(ctx.res, 200, await services.analytics.group(actor, 'metadata', { ...input(ctx), metadataKey: ctx.params.metadataKey! }));
      },
    },
    {
      method: 'GET',
      path: '/v1/analytics/groups/:groupBy',
      async handler(ctx) {
        const actor = await authenticate(ctx);
        sendJson(ctx.res, 200, await services.analytics.group(actor, ctx.params.groupBy!, input(ctx)));
      },
    },
    {
      method: 'GET',
      path: '/v1/analytics/summary/cache',
      async handler(ctx) {
        const actor = await authenticate(ctx);
        sendJson(ctx.res, 200, await services.analytics.cacheSummary(actor, input(ctx)));
      },
    },
  ];
}
