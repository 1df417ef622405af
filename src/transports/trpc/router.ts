import { z } from 'zod';
import { logView, traceView } from '../log-view.js';
import { authedProcedure, router } from './trpc.js';

const workspaceId = z.string().min(1).max(128).optional();

export const appRouter = router({
  viewer: router({
    whoami: authedProcedure.query(({ ctx }) => ({
      keyId: ctx.actor.keyId,
      name: ctx.actor.name,
      kind: ctx.actor.kind,
      organisationId: ctx.actor.organisationId,
      workspaceId: ctx.actor.workspaceId ?? null,
      scopes: [...ctx.actor.scopes],
    })),
  }),
  logs: router({
    get: authedProcedure
      .input(z.object({ id: z.string().min(1).max(256), workspaceId }))
      .query(async ({ ctx, input }) => logView(await ctx.services.logs.get(ctx.actor, input))),
    // The log array is validated by the domain's own schema, exactly as for REST.
    ingest: authedProcedure
      .input(z.object({ logs: z.unknown(), workspaceId }))
      .mutation(async ({ ctx, input }) => ({ logIds: await ctx.services.logs.ingest(ctx.actor, { workspaceId: input.workspaceId, body: input.logs }) })),
  }),
  traces: router({
    get: authedProcedure
      .input(z.object({ traceId: z.string().min(1).max(256), workspaceId }))
      .query(async ({ ctx, input }) => traceView(await ctx.services.logs.trace(ctx.actor, input))),
  }),
});

/** TypeScript clients import this type for end-to-end types. */
export type AppRouter = typeof appRouter;
