import { admitIngest, ingestWorkspace } from '../admission.js';
import type { Route } from '../http.js';
import { sendJson } from '../http.js';
import { readJson } from '../http-body.js';
import { indexedObjectAsArray } from './batch-body.js';
import type { RestDeps } from './deps.js';
import { presentLog } from './log-presenter.js';

export function logRoutes({ services, limits, ingest }: RestDeps): Route[] {
  return [
    {
      method: 'POST',
      path: '/v1/logs',
      auth: 'key',
      async handler(ctx) {
        const ids = await admitIngest(
          ingest,
          ingestWorkspace(ctx),
          async () => indexedObjectAsArray(await readJson(ctx.req, limits.json)),
          (body) => services.logs.ingest(ctx.actor, { workspaceId: ctx.workspaceId, body }),
        );
        sendJson(ctx.res, 200, { success: true, data: { log_ids: ids } });
      },
    },
    {
      method: 'GET',
      path: '/v1/logs/:logId',
      auth: 'key',
      async handler(ctx) {
        const log = await services.logs.get(ctx.actor, { id: ctx.params.logId!, workspaceId: ctx.workspaceId });
        sendJson(ctx.res, 200, presentLog(log));
      },
    },
  ];
}
