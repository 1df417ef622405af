import type { LogRepository } from '../logs/log-model.js';
import { resolveRequestedFields } from './export-fields.js';
import { randomUUID } from 'node:crypto';
import type { BlobStore, ExportRepository, LogExport, RunClaims } from './export-model.js';
import { createBatchingWriter, createRowEncoder } from './row-writer.js';

export interface RunExportDeps {
  exports: ExportRepository;
  logs: LogRepository;
  blobs: BlobStore;
  claims: RunClaims;
  /** A run whose owner stops renewing for this long may be taken over by another worker. */
  leaseMs?: number;
  /** Called as rows are written (the job extends its lock with it). */
  heartbeat?: (processed: number) => Promise<void>;
  /** How often progress is saved and cancellation checked. */
  checkEveryMs?: number;
}

/** `busy`: another worker holds a live claim on this run; the job should look again later. */
export type RunOutcome = 'success' | 'failed' | 'stopped' | 'skipped' | 'busy';

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
  const { exports: repo } = deps;
  const e = await repo.findById(job.exportId);
  if (e?.status !== 'in_progress' || e.run !== job.run) return 'skipped'; // cancelled, restarted or gone
  const owner = randomUUID();
  if (!(await deps.claims.claim(e.id, job.run, owner, deps.leaseMs ?? 30_000))) return 'busy';
  try {
    // Read again under the claim: a duplicate job may get here after the previous holder finished and
    // released the claim, and must not touch what that run published.
    const current = await repo.findById(job.exportId);
    if (current?.status !== 'in_progress' || current.run !== job.run) return 'skipped';
    return await runClaimed(deps, current, job.run, owner);
  } finally {
    await deps.claims.release(e.id, job.run, owner).catch(() => undefined);
  }
}

async function runClaimed(deps: RunExportDeps, e: LogExport, run: number, owner: string): Promise<RunOutcome> {
  const { exports: repo, blobs } = deps;
  // Partial files of crashed attempts; only the claim holder gets here, so no live run is disturbed.
  await blobs.deleteForExport(e.id, e.file?.id);
  const guard = { whenStatus: ['in_progress' as const], whenRun: run };

  const upload = blobs.openUpload(exportFileName(e), { exportId: e.id, run, contentType: exportContentType(e) });
  const writer = createBatchingWriter(upload.stream, { gzip: e.compression === 'gzip' });
  let processed = 0;
  try {
    const encoder = createRowEncoder(resolveRequestedFields(e.requestedData), e.format);
    const header = encoder.header();
    if (header) await writer.push(header);
    const every = deps.checkEveryMs ?? 1000;
    let nextCheck = Date.now() + every;
    for await (const row of deps.logs.streamMatching(e.workspaceId, e.filter, { limit: e.limit, offset: e.offset }, { withoutHeaders: true })) {
      const pending = writer.push(encoder.encode(row));
      if (pending) await pending;
      processed++;
      if (Date.now() >= nextCheck) {
        // Saving progress doubles as the cancellation check: the guard fails once the export left this run.
        if (!(await repo.update(e.id, { processed, updatedAt: new Date() }, guard))) throw new Stopped();
        if (!(await deps.claims.renew(e.id, run, owner))) throw new Stopped();
        await deps.heartbeat?.(processed);
        nextCheck = Date.now() + every;
      }
    }
    await writer.finish();
    const size = (await blobs.stat(upload.id))?.size ?? 0;
    const done = await repo.update(
      e.id,
      {
        status: 'success',
        processed,
        total: processed,
        file: { id: upload.id, name: exportFileName(e), size, contentType: exportContentType(e) },
        finishedAt: new Date(),
        updatedAt: new Date(),
      },
      guard,
    );
    if (!done) throw new Stopped();
    await blobs.deleteForExport(e.id, upload.id).catch(() => undefined); // strays, should any exist
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
