import { authedProcedure, router } from './trpc.js';

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
});

/** TypeScript clients import this type for end-to-end types. */
export type AppRouter = typeof appRouter;
