import { setTimeout as sleep } from 'node:timers/promises';
import type { ExportStatus, LogExport } from './export-model.js';

const TERMINAL: ExportStatus[] = ['success', 'failed', 'stopped'];

/**
 * Live export state by polling the database: the job may run in another process, and change streams are
 * not available everywhere (FerretDB). Yields the current state, then each change of status or progress,
 * and ends after a terminal status or when `signal` aborts.
 */
export async function* watchExport(
  load: () => Promise<LogExport>,
  first: LogExport,
  opts: { intervalMs?: number; signal?: AbortSignal } = {},
): AsyncGenerator<LogExport> {
  let last = first;
  yield last;
  while (!TERMINAL.includes(last.status) && !opts.signal?.aborted) {
    try {
      await sleep(opts.intervalMs ?? 500, undefined, { signal: opts.signal });
    } catch {
      return; // aborted
    }
    const current = await load();
    if (current.status !== last.status || current.processed !== last.processed || current.run !== last.run) yield current;
    last = current;
  }
}

/** Share of rows written, 0..1, never decreasing within a run (processed only grows; total is fixed until success). */
export function exportProgress(e: Pick<LogExport, 'status' | 'processed' | 'total'>): number {
  if (e.status === 'success') return 1;
  if (e.status === 'draft' || e.total <= 0) return 0;
  return Math.min(1, e.processed / e.total);
}
