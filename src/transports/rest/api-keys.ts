import type { ApiKey } from '../../domain/auth/api-key-model.js';
import type { Route } from '../http.js';
import { sendJson } from '../http.js';
import { readJson } from '../http-body.js';
import type { RestDeps } from './deps.js';

/** Portkey's ApiKeyObject shape. The secret itself is never stored, so it is never shown again. */
function presentApiKey(k: ApiKey) {
  return {
    id: k.id,
    name: k.name,
    description: k.description,
    type: k.type,
    organisation_id: k.organisationId,
    workspace_id: k.workspaceId,
    user_id: k.userId,
    status: k.status,
    scopes: k.scopes,
    creation_mode: 'api',
    created_at: k.createdAt.toISOString(),
    last_updated_at: k.updatedAt.toISOString(),
    object: 'api-key',
  };
}

export function apiKeyRoutes({ services, limits }: RestDeps): Route[] {
  return [
    {
      method: 'POST',
      path: '/v1/api-keys/:kind/:subType',
      auth: 'key',
      async handler(ctx) {
        const body = await readJson(ctx.req, limits.json);
        const input = { ...(body as object), kind: ctx.params.kind, subType: ctx.params.subType };
        const { key, secret } = await services.apiKeys.create(ctx.actor, input);
        sendJson(ctx.res, 200, { id: key.id, key: secret, object: 'api-key' });
      },
    },
    {
      method: 'GET',
      path: '/v1/api-keys',
      auth: 'key',
      async handler(ctx) {
        const { total, items } = await services.apiKeys.list(ctx.actor, {
          ...Object.fromEntries(ctx.query),
          ...(ctx.workspaceId && { workspace_id: ctx.workspaceId }),
        });
        sendJson(ctx.res, 200, { total, object: 'list', data: items.map(presentApiKey) });
      },
    },
    {
      method: 'GET',
      path: '/v1/api-keys/:id',
      auth: 'key',
      async handler(ctx) {
        sendJson(ctx.res, 200, presentApiKey(await services.apiKeys.get(ctx.actor, ctx.params.id!)));
      },
    },
    {
      method: 'DELETE',
      path: '/v1/api-keys/:id',
      auth: 'key',
      async handler(ctx) {
        await services.apiKeys.remove(ctx.actor, ctx.params.id!);
        sendJson(ctx.res, 200, {});
      },
    },
  ];
}
