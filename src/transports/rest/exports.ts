import type { IncomingMessage } from 'node:http';
import { DomainError } from '../../domain/errors.js';
import { fromGenerationsFilter } from '../../domain/logs/log-filter.js';
import type { Route } from '../http.js';
import { sendJson } from '../http.js';
import { publicOrigin, readJson } from '../http-body.js';
import type { RestDeps } from './deps.js';
import { presentExport } from './export-presenter.js';
import { exportFileRoutes } from './export-file.js';

type Body = Record<string, unknown>;

/** Validation paths in the names REST clients send. */
const REST_NAMES: Record<string, string> = { requestedData: 'requested_data', workspaceId: 'workspace_id' };
async function restNames<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof DomainError && err.details) {
      for (const d of err.details) if (d.path && typeof d.path[0] === 'string' && REST_NAMES[d.path[0]]) d.path[0] = REST_NAMES[d.path[0]]!;
      throw new DomainError(err.code, err.message.replace(/\b(requestedData|workspaceId)\b/g, (m) => REST_NAMES[m]!), err.details, err.retryAfterSeconds);
    }
    throw err;
  }
}

/**
 * The REST body in domain terms: Portkey's GenerationsFilter becomes the domain LogFilter (its page_size /
 * current_page become limit / offset). Both snake_case (the docs) and camelCase (the SDK's types) are read.
 */
function toDomainInput(body: Body, requireFilters: boolean) {
  const raw = (body.filters ?? (requireFilters ? {} : undefined)) as Record<string, unknown> | undefined;
  const translated = raw === undefined ? undefined : fromGenerationsFilter(raw, ['filters']);
  return {
    filters: raw,
    filter: translated?.filter,
    options: {
      workspaceId: body.workspace_id ?? body.workspaceId,
      description: body.description,
      requestedData: body.requested_data ?? body.requestedData,
      format: body.format,
      compression: body.compression,
      ...(translated && { limit: translated.limit ?? null, offset: translated.offset ?? null }),
    },
  };
}


export function exportRoutes(deps: RestDeps): Route[] {
  const { services, authenticate, limits } = deps;
  const body = async (req: IncomingMessage): Promise<Body> => {
    const b = await readJson(req, limits.json);
    return typeof b === 'object' && b !== null && !Array.isArray(b) ? (b as Body) : {};
  };
  return [
    {
      method: 'POST',
      path: '/v1/logs/exports',
      async handler(ctx) {
        const actor = await authenticate(ctx);
        const input = toDomainInput(await body(ctx.req), true);
        const e = await restNames(services.exports.create(actor, { options: input.options, filters: input.filters!, filter: input.filter! }));
        sendJson(ctx.res, 200, { id: e.id, total: e.total, object: 'export' });
      },
    },
    {
      method: 'GET',
      path: '/v1/logs/exports',
      async handler(ctx) {
        const actor = await authenticate(ctx);
        const items = await services.exports.list(actor, { workspaceId: ctx.query.get('workspace_id') });
        sendJson(ctx.res, 200, { object: 'list', total: items.length, data: items.map(presentExport) });
      },
    },
    {
      method: 'GET',
      path: '/v1/logs/exports/:id',
      async handler(ctx) {
        const actor = await authenticate(ctx);
        sendJson(ctx.res, 200, presentExport(await services.exports.get(actor, ctx.params.id!)));
      },
    },
    {
      method: 'PUT',
      path: '/v1/logs/exports/:id',
      async handler(ctx) {
        const actor = await authenticate(ctx);
        const { options, filters, filter } = toDomainInput(await body(ctx.req), false);
        const { workspaceId: _ignored, ...rest } = options;
        const e = await restNames(services.exports.update(actor, ctx.params.id!, { options: stripUndefined(rest), filters, filter }));
        sendJson(ctx.res, 200, { id: e.id, total: e.total, object: 'export' });
      },
    },
    {
      method: 'POST',
      path: '/v1/logs/exports/:id/start',
      async handler(ctx) {
        const actor = await authenticate(ctx);
        await services.exports.start(actor, ctx.params.id!);
        sendJson(ctx.res, 200, { message: 'Export started', object: 'export' });
      },
    },
    {
      method: 'POST',
      path: '/v1/logs/exports/:id/cancel',
      async handler(ctx) {
        const actor = await authenticate(ctx);
        await services.exports.cancel(actor, ctx.params.id!);
        sendJson(ctx.res, 200, { message: 'Export cancelled', object: 'export' });
      },
    },
    {
      method: 'GET',
      path: '/v1/logs/exports/:id/download',
      async handler(ctx) {
        const actor = await authenticate(ctx);
        const link = await services.exports.downloadLink(actor, ctx.params.id!);
        const url = `${publicOrigin(ctx.req, deps.publicUrl)}${link.path}`;
        sendJson(ctx.res, 200, { signed_url: url, url, expires_at: link.expiresAt.toISOString() });
      },
    },
    ...exportFileRoutes(deps),
  ];
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
