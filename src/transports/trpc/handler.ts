import { createHTTPHandler } from '@trpc/server/adapters/standalone';
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
    createContext: ({ req }): TrpcContext => {
      let actor: ReturnType<TrpcContext['actor']> | undefined;
      const key = apiKeyFromHeaders(req.headers);
      return { services, actor: () => (actor ??= services.apiKeys.authenticate(key)), reauthenticate: () => services.apiKeys.authenticate(key), req, publicUrl };
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
