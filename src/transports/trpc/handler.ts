import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { retryAfterOf } from '../../domain/errors.js';
import type { Services } from '../../domain/services.js';
import { apiKeyFromHeaders } from '../http-body.js';
import type { Mount } from '../http.js';
import { appRouter } from './router.js';
import type { TrpcContext } from './trpc.js';

export function createTrpcMount(services: Services, bodyLimit: number, publicUrl?: string): Mount {
  const handler = createHTTPHandler({
    router: appRouter,
    basePath: '/trpc/',
    maxBodySize: bodyLimit,
    // 429/503 answers tell clients when to come back, as on REST.
    responseMeta({ errors }) {
      const seconds = retryAfterOf(errors.map((e) => e.cause));
      return seconds === undefined ? {} : { headers: { 'retry-after': String(seconds) } };
    },
    createContext: ({ req }): TrpcContext => {
      let actor: ReturnType<TrpcContext['actor']> | undefined;
      const key = apiKeyFromHeaders(req.headers);
      return {
        services,
        actor: () => (actor ??= services.apiKeys.authenticate(key)),
        reauthenticate: () => services.apiKeys.authenticate(key),
        req,
        publicUrl,
      };
    },
  });
  return {
    prefix: '/trpc',
    handler: (ctx) =>
      new Promise<void>((resolve) => {
        ctx.res.once('close', resolve);
        handler(ctx.req, ctx.res);
      }),
  };
}
