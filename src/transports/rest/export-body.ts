import { z } from 'zod';
import { validationError } from '../../domain/errors.js';
import { exportOptionsSchema } from '../../domain/exports/export-input.js';

const o = exportOptionsSchema.shape;

/** Portkey's export body in its own snake_case names, each value held to the domain's rule for it. */
const createBody = z.object({
  workspace_id: o.workspaceId,
  description: o.description,
  requested_data: o.requestedData,
  format: o.format,
  compression: o.compression,
  filters: z.unknown().optional(),
});
// The SDK sends `export_id` in update bodies too; unknown keys are ignored, as Portkey does.
const updateBody = createBody.omit({ workspace_id: true }).partial();

/** camelCase spellings some clients send (the SDK's TypeScript types use them), read as the documented names. */
const ALIASES = { workspaceId: 'workspace_id', requestedData: 'requested_data' } as const;

function withAliases(raw: unknown): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  const body = { ...(raw as Record<string, unknown>) };
  for (const [camel, snake] of Object.entries(ALIASES)) if (body[snake] === undefined && body[camel] !== undefined) body[snake] = body[camel];
  return body;
}

/** A REST create/update body in domain terms; validation errors name the REST fields. */
export function parseExportBody(raw: unknown, mode: 'create' | 'update') {
  const r = (mode === 'create' ? createBody : updateBody).safeParse(withAliases(raw));
  if (!r.success) throw validationError(r.error.issues);
  const b = r.data;
  const filters = b.filters ?? (mode === 'create' ? {} : undefined);
  return {
    options: {
      workspaceId: 'workspace_id' in b ? b.workspace_id : undefined,
      description: b.description,
      requestedData: b.requested_data,
      format: b.format,
      compression: b.compression,
    },
    filters: filters === undefined ? undefined : { dialect: 'portkey' as const, value: filters },
  };
}
