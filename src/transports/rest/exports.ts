import type { Route } from '../http.js';
import { sendJson } from '../http.js';
import { publicOrigin, readJson } from '../http-body.js';
import type { RestDeps } from './deps.js';
import { parseExportBody } from './export-body.js';
import { presentExport } from './export-presenter.js';
import { exportFileRoutes } from './export-file.js';

export function exportRoutes(deps: RestDeps): Route[] {
  const { services, limits } = deps;
  return [
    {
      method: 'POST',
      path: '/v1/logs/exports',
      auth: 'key',
      async handler(ctx) {
        const { options, filters } = parseExportBody(await readJson(ctx.req, limits.json), 'create');
        const e = await services.exports.create(ctx.actor, { options: { ...options, workspaceId: options.workspaceId ?? ctx.workspaceId }, filters: filters! });
        sendJson(ctx.res, 200, { id: e.id, total: e.total, object: 'export' });
      },
    },
    {
      method: 'GET',
      path: '/v1/logs/exports',
      auth: 'key',
      async handler(ctx) {
        const items = await services.exports.list(ctx.actor, { workspaceId: ctx.workspaceId });
        sendJson(ctx.res, 200, { object: 'list', total: items.length, data: items.map(presentExport) });
      },
    },
    {
      method: 'GET',
      path: '/v1/logs/exports/:id',
      auth: 'key',
      async handler(ctx) {
        sendJson(ctx.res, 200, presentExport(await services.exports.get(ctx.actor, ctx.params.id!)));
      },
    },
    {
      method: 'PUT',
      path: '/v1/logs/exports/:id',
      auth: 'key',
      async handler(ctx) {
        const e = await services.exports.update(ctx.actor, ctx.params.id!, parseExportBody(await readJson(ctx.req, limits.json), 'update'));
        sendJson(ctx.res, 200, { id: e.id, total: e.total, object: 'export' });
      },
    },
    {
      method: 'POST',
      path: '/v1/logs/exports/:id/start',
      auth: 'key',
      async handler(ctx) {
        await services.exports.start(ctx.actor, ctx.params.id!);
        sendJson(ctx.res, 200, { message: 'Export started', object: 'export' });
      },
    },
    {
      method: 'POST',
      path: '/v1/logs/exports/:id/cancel',
      auth: 'key',
      async handler(ctx) {
        await services.exports.cancel(ctx.actor, ctx.params.id!);
        sendJson(ctx.res, 200, { message: 'Export cancelled', object: 'export' });
      },
    },
    {
      method: 'GET',
      path: '/v1/logs/exports/:id/download',
      auth: 'key',
      async handler(ctx) {
        const link = await services.exports.downloadLink(ctx.actor, ctx.params.id!);
        const url = `${publicOrigin(ctx.req, deps.publicUrl)}${link.path}`;
        sendJson(ctx.res, 200, { signed_url: url, url, expires_at: link.expiresAt.toISOString() });
      },
    },
    ...exportFileRoutes(deps),
  ];
}
