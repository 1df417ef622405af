import type { LogExport } from '../domain/exports/export-model.js';
import { exportProgress } from '../domain/exports/watch-export.js';

/** The camelCase export shape of the typed APIs (tRPC); GraphQL resolves the same fields from the domain object. */
export function exportView(e: LogExport) {
  return {
    id: e.id,
    workspaceId: e.workspaceId,
    status: e.status,
    total: e.total,
    processed: e.processed,
    progress: exportProgress(e),
    description: e.description,
    filters: e.filters,
    requestedData: e.requestedData,
    format: e.format,
    compression: e.compression,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
    error: e.error ?? null,
  };
}
export type ExportView = ReturnType<typeof exportView>;
