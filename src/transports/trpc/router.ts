import { z } from 'zod';
import { exportView } from '../export-view.js';
import { feedbackBody, feedbackView } from '../feedback-view.js';
import { parseAnalyticsFilter, parseGroupPage } from '../../domain/analytics/analytics-input.js';
import { publicOrigin } from '../http-body.js';
import { logView, traceView } from '../log-view.js';
import { authedProcedure, router } from './trpc.js';
import { createExportInput, exportIdInput, logsListInput, searchBodiesInput, suggestInput, tracesListInput, updateExportInput, workspaceId } from './inputs.js';

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
    list: authedProcedure.input(logsListInput).query(async ({ ctx, input }) => {
      const page = await ctx.services.logs.list(ctx.actor, input);
      return { items: page.items.map(logView), nextCursor: page.hasNextPage ? page.endCursor : null, totalCount: page.totalCount };
    }),
    /** Known filter values (see GraphQL logSuggestions). */
    suggest: authedProcedure
      .input(suggestInput)
      .query(async ({ ctx, input }) => ctx.services.browse.suggest(ctx.actor, { ...input, since: input.since ? new Date(input.since) : undefined })),
    /** Bounded text search in bodies (see GraphQL searchLogBodies). */
    searchBodies: authedProcedure.input(searchBodiesInput).query(async ({ ctx, input, signal }) => {
      const r = await ctx.services.browse.searchBodies(ctx.actor, input, { signal });
      return { items: r.items.map(logView), scanned: r.scanned, complete: r.complete, resumeBefore: r.resumeBefore?.toISOString() ?? null };
    }),
    // The log array is validated by the domain's own schema, exactly as for REST.
    ingest: authedProcedure.input(z.object({ logs: z.unknown(), workspaceId })).mutation(async ({ ctx, input }) => ({
      logIds: await ctx.services.logs.ingest(ctx.actor, { workspaceId: input.workspaceId, body: input.logs, pathPrefix: ['logs'] }),
    })),
  }),
  feedback: router({
    // Items are validated by the domain's own schema (camelCase here, like the rest of tRPC).
    create: authedProcedure
      .input(z.object({ feedback: z.union([z.array(z.record(z.string(), z.unknown())), z.record(z.string(), z.unknown())]), workspaceId }))
      .mutation(async ({ ctx, input }) => {
        const body = Array.isArray(input.feedback) ? input.feedback.map(feedbackBody) : feedbackBody(input.feedback);
        return { feedbackIds: await ctx.services.feedback.create(ctx.actor, { workspaceId: input.workspaceId, body, pathPrefix: ['feedback'] }) };
      }),
    update: authedProcedure
      .input(z.object({ id: z.string().min(1).max(128), value: z.unknown(), weight: z.unknown().optional(), metadata: z.unknown().optional(), workspaceId }))
      .mutation(async ({ ctx, input }) => {
        const { trace_id: _none, ...body } = feedbackBody(input);
        return feedbackView(await ctx.services.feedback.update(ctx.actor, { id: input.id, workspaceId: input.workspaceId, body }));
      }),
    forTrace: authedProcedure
      .input(z.object({ traceId: z.string().min(1).max(2048), workspaceId }))
      .query(async ({ ctx, input }) =>
        (await ctx.services.feedback.forTrace(ctx.actor, { traceId: input.traceId, workspaceId: input.workspaceId })).map(feedbackView),
      ),
  }),
  // The same figures as REST /v1/analytics and GraphQL `analytics`, as Portkey's JSON shapes.
  analytics: router({
    graph: authedProcedure
      .input(z.object({ name: z.string().min(1).max(64), filter: z.unknown(), workspaceId }))
      .query(async ({ ctx, input }) =>
        ctx.services.analytics.graph(ctx.actor, input.name, { filter: parseAnalyticsFilter(input.filter), workspaceId: input.workspaceId }),
      ),
    group: authedProcedure
      .input(
        z.object({
          by: z.string().min(1).max(64),
          metadataKey: z.string().min(1).max(256).optional(),
          filter: z.unknown(),
          currentPage: z.number().optional(),
          pageSize: z.number().optional(),
          workspaceId,
        }),
      )
      .query(async ({ ctx, input }) =>
        ctx.services.analytics.group(ctx.actor, input.by, {
          filter: parseAnalyticsFilter(input.filter),
          workspaceId: input.workspaceId,
          page: parseGroupPage(input),
          ...(input.metadataKey && { metadataKey: input.metadataKey }),
        }),
      ),
    cacheSummary: authedProcedure
      .input(z.object({ filter: z.unknown(), workspaceId }))
      .query(async ({ ctx, input }) =>
        ctx.services.analytics.cacheSummary(ctx.actor, { filter: parseAnalyticsFilter(input.filter), workspaceId: input.workspaceId }),
      ),
  }),
  traces: router({
    get: authedProcedure
      .input(z.object({ traceId: z.string().min(1).max(256), workspaceId }))
      .query(async ({ ctx, input }) => traceView(await ctx.services.traces.get(ctx.actor, input))),
    /** Recent traces, newest root first, with their sums (see GraphQL `traces`). */
    list: authedProcedure.input(tracesListInput).query(async ({ ctx, input }) => {
      const page = await ctx.services.browse.traces(ctx.actor, input);
      return { items: page.items.map((t) => ({ ...t, startedAt: t.startedAt.toISOString() })), nextCursor: page.hasNextPage ? page.endCursor : null };
    }),
  }),
  exports: router({
    create: authedProcedure.input(createExportInput).mutation(async ({ ctx, input }) => {
      const { filters, ...options } = input;
      const e = await ctx.services.exports.create(ctx.actor, { options, filters: { dialect: 'logport', value: filters ?? {} } });
      return exportView(e);
    }),
    list: authedProcedure
      .input(z.object({ workspaceId }).optional())
      .query(async ({ ctx, input }) => (await ctx.services.exports.list(ctx.actor, { workspaceId: input?.workspaceId })).map(exportView)),
    get: authedProcedure.input(exportIdInput).query(async ({ ctx, input }) => exportView(await ctx.services.exports.get(ctx.actor, input.id))),
    update: authedProcedure.input(updateExportInput).mutation(async ({ ctx, input }) => {
      const { id, filters, ...options } = input;
      return exportView(
        await ctx.services.exports.update(ctx.actor, id, { options, filters: filters === undefined ? undefined : { dialect: 'logport', value: filters } }),
      );
    }),
    start: authedProcedure.input(exportIdInput).mutation(async ({ ctx, input }) => exportView(await ctx.services.exports.start(ctx.actor, input.id))),
    cancel: authedProcedure.input(exportIdInput).mutation(async ({ ctx, input }) => exportView(await ctx.services.exports.cancel(ctx.actor, input.id))),
    delete: authedProcedure.input(exportIdInput).mutation(async ({ ctx, input }) => {
      await ctx.services.exports.remove(ctx.actor, input.id);
      return { id: input.id, deleted: true };
    }),
    downloadUrl: authedProcedure.input(exportIdInput).query(async ({ ctx, input }) => {
      const link = await ctx.services.exports.downloadLink(ctx.actor, input.id);
      return { url: `${publicOrigin(ctx.req, ctx.publicUrl)}${link.path}`, expiresAt: link.expiresAt.toISOString() };
    }),
    /** Server-sent events: the current state, then each change, ending after a terminal status. */
    // Not a generator itself: the visibility check runs before the stream opens, so NOT_FOUND is a proper error.
    onStatus: authedProcedure.input(exportIdInput).subscription(async ({ ctx, input, signal }) => {
      const stream = await ctx.services.exports.watch(ctx.actor, input.id, { signal, reauthenticate: ctx.reauthenticate });
      return (async function* () {
        for await (const e of stream) yield exportView(e);
      })();
    }),
  }),
});

/** TypeScript clients import this type for end-to-end types. */
export type AppRouter = typeof appRouter;
