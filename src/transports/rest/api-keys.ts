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

export function apiKeyRoutes({ services, authenticate, limits }: RestDeps): Route[] {
  return [
    {
      method: 'POST',
      path: '/v1/api-keys/:kind/:subType',
      async handler(ctx) {
        const actor = await authenticate(ctx);
        const body = await readJson(ctx.req, limits.json);
        const input = { ...(body as object), kind: ctx.params.kind, subType: ctx.params.subType };
        const { key, secret } = await services.apiKeys.create(actor, input);
        sendJson(ctx.res, 200, { id: key.id, key: secret, object: 'api-key' });
      },
    },
    {
      method: 'GET',
      path: '/v1/api-keys',
      async handler(ctx) {
        const actor = await authenticate(ctx);
        const { total, items } = await services.apiKeys.list(actor, Object.fromEntries(ctx.query));
        sendJson(ctx.res, 200, { total, object: 'list', data: items.map(presentApiKey) });
      },
    },
    {
      method: 'GET',
      path: '/v1/api-keys/:id',
      async handler(ctx) {
        const actor = await authenticate(ctx);
        sendJson(ctx.res, 200, presentApiKey(await services.apiKeys.get(actor, ctx.params.id!)));
      },
    },
    {
      method: 'DELETE',
      path: '/v1/api-keys/:id',
      async handler(ctx) {
        const actor = await authenticate(ctx);
        await services.apiKeys.remove(actor, ctx.params.id!);
        sendJson(ctx.res, 200, {});
      },
    },
  ];
}
