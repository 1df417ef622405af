import type { HttpContext, Route } from '../http.js';
import { sendJson } from '../http.js';
import { readJson } from '../http-body.js';
import { indexedObjectAsArray } from './batch-body.js';
import type { RestDeps } from './deps.js';
import { presentLog } from './log-presenter.js';

/** Organisation keys choose a workspace with ?workspace_id= or the x-portkey-workspace-id header. */
export function requestedWorkspace(ctx: HttpContext): string | undefined {
  const header = ctx.req.headers['x-portkey-workspace-id'];
  return ctx.query.get('workspace_id') ?? (typeof header === 'string' ? header : undefined);
}

export function logRoutes({ services, authenticate, limits, ingestGate }: RestDeps): Route[] {
  return [
    {
      method: 'POST',
      path: '/v1/logs',
      async handler(ctx) {
        const actor = await authenticate(ctx);
        const ids = await ingestGate.run(async () => {
          const body = indexedObjectAsArray(await readJson(ctx.req, limits.json));
          return services.logs.ingest(actor, { workspaceId: requestedWorkspace(ctx), body });
        });
        sendJson(ctx.res, 200, { success: true, data: { log_ids: ids } });
      },
    },
    {
      method: 'GET',
      path: '/v1/logs/:logId',
      async handler(ctx) {
        const actor = await authenticate(ctx);
        const log = await services.logs.get(actor, { id: ctx.params.logId!, workspaceId: requestedWorkspace(ctx) });
        sendJson(ctx.res, 200, presentLog(log));
      },
    },
  ];
}
