import type { IncomingMessage } from 'node:http';
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import type { Actor } from '../../domain/auth/actor.js';
import { DomainError, ERROR_TABLE } from '../../domain/errors.js';
import type { Services } from '../../domain/services.js';

export interface TrpcContext {
  services: Services;
  actor(): Promise<Actor>;
  /** Authenticates the key again (long-lived subscriptions: a revoked key must stop being served). */
  reauthenticate(): Promise<Actor>;
  req: IncomingMessage;
  publicUrl?: string;
}

const t = initTRPC.context<TrpcContext>().create({
  sse: { ping: { enabled: true, intervalMs: 10_000 } },
  // The one translator for tRPC: domain details ride along in `data.details`, internals stay hidden.
  errorFormatter({ shape, error }) {
    const domain = error.cause instanceof DomainError ? error.cause : undefined;
    const zod = error.cause instanceof ZodError ? error.cause : undefined;
    const hidden = !domain && error.code === 'INTERNAL_SERVER_ERROR';
    // Input errors carry the same {path, message} details whether zod (input parser) or the domain found them.
    const details = domain?.details ?? zod?.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'number' ? p : String(p))), message: i.message }));
    return {
      ...shape,
      message: hidden ? 'Internal server error' : zod ? 'Invalid input' : shape.message,
      data: { ...shape.data, stack: undefined, domainCode: domain?.code ?? (zod ? 'BAD_REQUEST' : undefined), details },
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
/** Procedures that need a key: the actor is resolved before the handler runs. */
export const authedProcedure = t.procedure.use(translateDomainErrors).use(async ({ ctx, next }) => next({ ctx: { ...ctx, actor: await ctx.actor() } }));
