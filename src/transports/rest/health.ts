import type { Route } from '../http.js';
import { sendJson } from '../http.js';
import type { RestDeps } from './deps.js';

export function healthRoutes({ services }: RestDeps): Route[] {
  return [
    {
      method: 'GET',
      path: '/healthz',
      auth: 'none',
      async handler(ctx) {
        const h = await services.health.check();
        sendJson(ctx.res, h.database === 'up' ? 200 : 503, h, { 'cache-control': 'no-store' });
      },
    },
  ];
}
