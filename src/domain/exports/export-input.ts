import { z } from 'zod';

/**
 * The domain's create/update input. Transports translate their filter dialect (REST GenerationsFilter,
 * GraphQL/tRPC LogFilter) into `filter` before calling; the remaining fields are validated here once.
 */
export const exportOptionsSchema = z.object({
  workspaceId: z.string().min(1).max(128).nullish(),
  description: z.string().max(2000).nullish(),
  requestedData: z.array(z.string().min(1).max(100)).min(1, 'Request at least one field').max(100),
  format: z.enum(['jsonl', 'csv']).nullish(),
  compression: z.enum(['none', 'gzip']).nullish(),
  limit: z.number().int().min(1).nullish(),
  offset: z.number().int().min(0).nullish(),
});
export type ExportOptions = z.infer<typeof exportOptionsSchema>;

export const exportUpdateSchema = exportOptionsSchema.partial().omit({ workspaceId: true });
export type ExportUpdate = z.infer<typeof exportUpdateSchema>;
