import { z } from 'zod';
import { logFilterSchema } from '../../domain/logs/log-filter.js';
import { exportOptionsSchema } from '../../domain/exports/export-input.js';
import { logSortSchema } from '../../domain/browse/log-sort.js';
import { SUGGESTION_FIELDS } from '../../domain/browse/suggestions.js';

/**
 * tRPC inputs, built from the domain's own schemas (the LogFilter, the export options), so validation is
 * identical to REST and GraphQL. Filters are re-parsed by the domain, which adds their paths to errors.
 */
export const workspaceId = z.string().min(1).max(128).optional();
export const exportIdInput = z.object({ id: z.string().min(1).max(128) });

export const logsListInput = z.object({
  filter: logFilterSchema.optional(),
  first: z.number().int().optional(),
  after: z.string().optional(),
  workspaceId,
  sort: logSortSchema.optional(),
});

export const tracesListInput = z.object({ filter: logFilterSchema.optional(), first: z.number().int().optional(), after: z.string().optional(), workspaceId });
export const suggestInput = z.object({ field: z.enum(SUGGESTION_FIELDS), prefix: z.string().optional(), first: z.number().int().optional(), since: z.iso.datetime({ offset: true }).optional(), workspaceId });
export const searchBodiesInput = z.object({ text: z.string(), filter: logFilterSchema, first: z.number().int().optional(), workspaceId });

// Filters stay in their input form here (the domain parses them once); the schema still checks them up front.
const filterInput = z.record(z.string(), z.unknown()).superRefine((v, ctx) => {
  const r = logFilterSchema.safeParse(v);
  if (!r.success) for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
});

export const createExportInput = exportOptionsSchema.extend({ filters: filterInput.optional() });
export const updateExportInput = exportOptionsSchema.omit({ workspaceId: true }).partial().extend({ id: z.string().min(1).max(128), filters: filterInput.optional() });
