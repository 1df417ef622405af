import type { LogExport } from '../../domain/exports/export-model.js';

/** Portkey's ExportItem, plus Logport's progress, error and file format. */
export function presentExport(e: LogExport) {
  return {
    id: e.id,
    organisation_id: e.organisationId,
    workspace_id: e.workspaceId,
    filters: e.filters,
    requested_data: e.requestedData,
    status: e.status,
    description: e.description,
    created_at: e.createdAt.toISOString(),
    last_updated_at: e.updatedAt.toISOString(),
    created_by: e.createdBy,
    total_records: e.total,
    progress: e.processed,
    format: e.format,
    compression: e.compression,
    ...(e.error && { error: e.error }),
    object: 'export',
  };
}
