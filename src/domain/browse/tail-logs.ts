import { setTimeout as sleep } from 'node:timers/promises';
import { type Actor, requireScope, resolveWorkspace } from '../auth/actor.js';
import { parseLogFilter } from '../logs/log-filter.js';
import type { LogRecord, LogRepository } from '../logs/log-model.js';

export const TAIL_BATCH = 100;

/**
 * New logs matching a filter as they are stored, by polling (the writer may be another process, and change
 * streams are not available on FerretDB). Yields batches, oldest first within a batch, of logs created at or
 * after the newest log present when the tail started; logs stored later with an older client timestamp are not
 * shown. At most TAIL_BATCH per poll: a burst beyond that is summarised by the next list refresh, not replayed.
 */
export async function tailLogs(
  repo: LogRepository,
  actor: Actor,
  input: { filter?: unknown; workspaceId?: string | null },
  opts: { intervalMs?: number; signal?: AbortSignal } = {},
): Promise<AsyncGenerator<LogRecord[]>> {
  requireScope(actor, 'logs.list');
  const filter = parseLogFilter(input.filter ?? {}, ['filter']);
  const workspaceId = resolveWorkspace(actor, input.workspaceId);
  const present = await repo.listMatching(workspaceId, filter, { first: TAIL_BATCH });
  let since = present[0]?.createdAt ?? new Date();
  // Ids already present or shown at exactly `since`, so equal timestamps are neither lost nor repeated.
  let seenAtSince = new Set(present.filter((r) => r.createdAt.getTime() === since.getTime()).map((r) => r.id));
  return (async function* () {
    while (!opts.signal?.aborted) {
      try {
        await sleep(opts.intervalMs ?? 1000, undefined, { signal: opts.signal });
      } catch {
        return;
      }
      const from = filter.from && filter.from > since ? filter.from : since;
      const rows = await repo.listMatching(workspaceId, { ...filter, from }, { first: TAIL_BATCH });
      const fresh = rows.filter((r) => r.createdAt > since || !seenAtSince.has(r.id)).reverse();
      if (fresh.length === 0) continue;
      const top = fresh[fresh.length - 1]!.createdAt;
      seenAtSince = new Set([
        ...(top.getTime() === since.getTime() ? seenAtSince : []),
        ...fresh.filter((r) => r.createdAt.getTime() === top.getTime()).map((r) => r.id),
      ]);
      since = top;
      yield fresh;
    }
  })();
}
