import type { LogRepository } from '../logs/log-model.js';
import { resolveRequestedFields } from './export-fields.js';
import type { BlobStore, ExportRepository, LogExport } from './export-model.js';
import { createBatchingWriter, createRowEncoder } from './row-writer.js';

export interface RunExportDeps {
  exports: ExportRepository;
  logs: LogRepository;
  blobs: BlobStore;
  /** Called as rows are written (the job extends its lock with it). */
  heartbeat?: (processed: number) => Promise<void>;
  /** How often progress is saved and cancellation checked. */
  checkEveryMs?: number;
}

export type RunOutcome = 'success' | 'failed' | 'stopped' | 'skipped';

const CONTENT_TYPES = { jsonl: 'application/x-ndjson', csv: 'text/csv' } as const;

export function exportFileName(e: Pick<LogExport, 'id' | 'format' | 'compression'>): string {
  return `logs-export-${e.id}.${e.format}${e.compression === 'gzip' ? '.gz' : ''}`;
}

export function exportContentType(e: Pick<LogExport, 'format' | 'compression'>): string {
  return e.compression === 'gzip' ? 'application/gzip' : CONTENT_TYPES[e.format];
}

class Stopped extends Error {}

/**
 * One run of an export: stream the matching logs through the row writer into a new blob. The export
 * becomes `success` only by a guarded update naming this run and its complete file, so a crash, a retry or
 * a cancel can never publish a partial or duplicated file; leftovers of earlier attempts are deleted first.
 */
export async function runExport(deps: RunExportDeps, job: { exportId: string; run: number }): Promise<RunOutcome> {
  const { exports: repo, blobs } = deps;
  const e = await repo.findById(job.exportId);
  if (!e || e.status !== 'in_progress' || e.run !== job.run) return 'skipped'; // cancelled, restarted or gone
  await blobs.deleteForExport(e.id);
  const guard = { whenStatus: ['in_progress' as const], whenRun: job.run };

  const upload = blobs.openUpload(exportFileName(e), { exportId: e.id, run: job.run, contentType: exportContentType(e) });
  const writer = createBatchingWriter(upload.stream, { gzip: e.compression === 'gzip' });
  let processed = 0;
  try {
    const encoder = createRowEncoder(resolveRequestedFields(e.requestedData), e.format);
    const header = encoder.header();
    if (header) await writer.push(header);
    const every = deps.checkEveryMs ?? 1000;
    let nextCheck = Date.now() + every;
    for await (const row of deps.logs.streamMatching(e.workspaceId, e.filter, { limit: e.limit, offset: e.offset })) {
      const pending = writer.push(encoder.encode(row));
      if (pending) await pending;
      processed++;
      if (Date.now() >= nextCheck) {
        // Saving progress doubles as the cancellation check: the guard fails once the export left this run.
        if (!(await repo.update(e.id, { processed, updatedAt: new Date() }, guard))) throw new Stopped();
        await deps.heartbeat?.(processed);
        nextCheck = Date.now() + every;
      }
    }
    await writer.finish();
    const size = (await blobs.stat(upload.id))?.size ?? 0;
    const done = await repo.update(
      e.id,
      { status: 'success', processed, total: processed, file: { id: upload.id, name: exportFileName(e), size, contentType: exportContentType(e) }, finishedAt: new Date(), updatedAt: new Date() },
      guard,
    );
    if (!done) throw new Stopped();
    return 'success';
  } catch (err) {
    writer.abort(err instanceof Error ? err : new Error(String(err)));
    await blobs.delete(upload.id).catch(() => undefined);
    if (err instanceof Stopped) return 'stopped';
    const message = err instanceof Error ? err.message : String(err);
    // If even this fails (database down), the error propagates and the job is retried with backoff.
    await repo.update(e.id, { status: 'failed', error: message, processed, finishedAt: new Date(), updatedAt: new Date() }, guard);
    return 'failed';
  }
}
