import { initTRPC, TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import type { Actor } from '../../domain/auth/actor.js';
import { DomainError, ERROR_TABLE } from '../../domain/errors.js';
import type { Services } from '../../domain/services.js';

export interface TrpcContext {
  services: Services;
  actor(): Promise<Actor>;
}

const t = initTRPC.context<TrpcContext>().create({
  sse: { ping: { enabled: true, intervalMs: 10_000 } },
  // The one translator for tRPC: domain details ride along in `data.details`, internals stay hidden.
  errorFormatter({ shape, error }) {
    const domain = error.cause instanceof DomainError ? error.cause : undefined;
    const hidden = !domain && error.code === 'INTERNAL_SERVER_ERROR';
    return {
      ...shape,
      message: hidden ? 'Internal server error' : shape.message,
      data: { ...shape.data, stack: undefined, domainCode: domain?.code, details: domain?.details },
    };
  },
});

const translateDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DomainError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: ERROR_TABLE[cause.code].trpc as TRPC_ERROR_CODE_KEY, message: cause.message, cause });
  }
  return result;
});

export const router = t.router;
export const publicProcedure = t.procedure.use(translateDomainErrors);
/** Procedures that need a key: the actor is resolved before the handler runs. */
export const authedProcedure = publicProcedure.use(async ({ ctx, next }) => next({ ctx: { ...ctx, actor: await ctx.actor() } }));
