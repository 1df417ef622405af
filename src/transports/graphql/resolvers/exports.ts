import type { LogExport } from '../../../domain/exports/export-model.js';
import { exportProgress } from '../../../domain/exports/watch-export.js';
import type { GraphQLContext } from '../context.js';
import type { CreateExportInput, ExportCompression, ExportFormat, Resolvers, UpdateExportInput } from '../generated/resolvers-types.js';
import { nullIfMissing } from './null-if-missing.js';

const lower = <T extends string>(v: T | null | undefined) => (v ? (v.toLowerCase() as Lowercase<T>) : v);

/** GraphQL's input in domain terms: enums lowered; the domain parses the LogFilter. */
function domainInput(input: CreateExportInput | UpdateExportInput) {
  const { filters, format, compression, ...rest } = input;
  return {
    options: { ...rest, format: lower<ExportFormat>(format), compression: lower<ExportCompression>(compression) },
    filters: filters === undefined || filters === null ? undefined : { dialect: 'logport' as const, value: filters, path: ['input', 'filters'] },
  };
}

const actorOf = (ctx: GraphQLContext) => ctx.actor();

export const exportResolvers: Resolvers = {
  Query: {
    logExport: async (_p, { id }, ctx) => nullIfMissing(ctx.services.exports.get(await actorOf(ctx), id)),
    logExports: async (_p, { workspaceId }, ctx) => ctx.services.exports.list(await actorOf(ctx), { workspaceId }),
  },
  Mutation: {
    async createExport(_p, { input }, ctx) {
      const { options, filters } = domainInput(input);
      return ctx.services.exports.create(await actorOf(ctx), { options, filters: filters ?? { dialect: 'logport', value: {} } });
    },
    async updateExport(_p, { id, input }, ctx) {
      const { options, filters } = domainInput(input);
      const cleaned = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined && v !== null));
      return ctx.services.exports.update(await actorOf(ctx), id, { options: cleaned, filters });
    },
    startExport: async (_p, { id }, ctx) => ctx.services.exports.start(await actorOf(ctx), id),
    cancelExport: async (_p, { id }, ctx) => ctx.services.exports.cancel(await actorOf(ctx), id),
    deleteExport: async (_p, { id }, ctx) => {
      await ctx.services.exports.remove(await actorOf(ctx), id);
      return id;
    },
  },
  Subscription: {
    exportStatusChanged: {
      // The domain's stream is returned as is (no wrapping generator): graphql-ws's return() on unsubscribe or
      // disconnect then reaches it at once, even while it waits for the next change.
      subscribe: async (_p, { id }, ctx) => ctx.services.exports.watch(await actorOf(ctx), id, { reauthenticate: ctx.reauthenticate }),
      resolve: (e: LogExport) => e,
    },
  },
  LogExport: {
    status: (e) => e.status.toUpperCase() as Uppercase<LogExport['status']>,
    format: (e) => e.format.toUpperCase() as ExportFormat,
    compression: (e) => e.compression.toUpperCase() as ExportCompression,
    progress: (e) => exportProgress(e),
    updatedAt: (e) => e.updatedAt,
    error: (e) => e.error ?? null,
    async downloadUrl(e, _a, ctx) {
      if (e.status !== 'success') return null;
      const link = await ctx.services.exports.downloadLink(await actorOf(ctx), e.id);
      return `${ctx.origin}${link.path}`;
    },
  },
};
