import { z } from 'zod';
import type { LogFilterInput } from '../../domain/logs/log-filter.js';
import { exportOptionsSchema } from '../../domain/exports/export-input.js';
import { logSortSchema } from '../../domain/browse/log-sort.js';
import { SUGGESTION_FIELDS } from '../../domain/browse/suggestions.js';

/**
 * tRPC inputs, built from the domain's own schemas, so validation is identical to REST and GraphQL.
 * Filters are typed for clients but parsed once, by the domain (which puts their paths in errors).
 */
export const workspaceId = z.string().min(1).max(128).optional();
export const exportIdInput = z.object({ id: z.string().min(1).max(128) });

const filterInput = z.custom<LogFilterInput>((v) => v === undefined || (typeof v === 'object' && v !== null && !Array.isArray(v)), 'Expected a filter object');

export const logsListInput = z.object({
  filter: filterInput.optional(),
  first: z.number().int().optional(),
  after: z.string().optional(),
  workspaceId,
  sort: logSortSchema.optional(),
});

export const tracesListInput = z.object({ filter: filterInput.optional(), first: z.number().int().optional(), after: z.string().optional(), workspaceId });
export const suggestInput = z.object({
  field: z.enum(SUGGESTION_FIELDS),
  prefix: z.string().optional(),
  first: z.number().int().optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  workspaceId,
});
export const searchBodiesInput = z.object({ text: z.string(), filter: filterInput, first: z.number().int().optional(), workspaceId });

export const createExportInput = exportOptionsSchema.extend({ filters: filterInput.optional() });
export const updateExportInput = exportOptionsSchema
  .omit({ workspaceId: true })
  .partial()
  .extend({ id: z.string().min(1).max(128), filters: filterInput.optional() });
