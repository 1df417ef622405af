import type { Route } from '../http.js';
import { sendJson } from '../http.js';
import { readJson } from '../http-body.js';
import type { RestDeps } from './deps.js';
import { indexedObjectAsArray } from './batch-body.js';
import { snakeCaseItemKeys } from './sdk-item-keys.js';

/** Portkey's FeedbackResponse; `feedback_id` repeats the ids under the name the SDK's types use. */
const saved = (ids: string[], message: string) => ({ status: 'success', message, feedback_ids: ids, feedback_id: ids });

export function feedbackRoutes({ services, limits }: RestDeps): Route[] {
  return [
    {
      method: 'POST',
      path: '/v1/feedback',
      auth: 'key',
      async handler(ctx) {
        const body = snakeCaseItemKeys(indexedObjectAsArray(await readJson(ctx.req, limits.json)));
        const ids = await services.feedback.create(ctx.actor, { workspaceId: ctx.workspaceId, body });
        sendJson(ctx.res, 200, saved(ids, 'Feedback saved'));
      },
    },
    {
      method: 'PUT',
      path: '/v1/feedback/:id',
      auth: 'key',
      async handler(ctx) {
        const body = await readJson(ctx.req, limits.json);
        const f = await services.feedback.update(ctx.actor, { id: ctx.params.id!, workspaceId: ctx.workspaceId, body });
        sendJson(ctx.res, 200, saved([f.id], 'Feedback updated'));
      },
    },
  ];
}
