import { z } from 'zod';
import { type Actor, requireScope, resolveWorkspace } from '../auth/actor.js';
import { DomainError, validationError } from '../errors.js';
import { parseLogFilter } from '../logs/log-filter.js';
import type { LogRecord, LogRepository } from '../logs/log-model.js';

/**
 * Text search over request and response bodies. There is no text index (FerretDB 1.24 has none), so this reads
 * the matching logs of a time range newest first and tests each body, and it is bounded three ways: it stops at
 * `first` hits, after MAX_SCANNED logs, or after MAX_MS. The answer says how far it got (`scanned`,
 * `complete`, and `resumeBefore` to search the older part of the range next).
 */
export const MAX_SCANNED = 20_000;
export const MAX_MS = 5_000;

const inputSchema = z.object({
  text: z.string().trim().min(2, 'Give at least 2 characters').max(200),
  first: z.number().int().min(1).max(100).nullish(),
  workspaceId: z.string().min(1).max(128).nullish(),
});

export interface BodySearchResult {
  items: LogRecord[];
  scanned: number;
  /** True when every log of the range was tested. */
  complete: boolean;
  /** Created time of the last log tested when the search stopped early: pass it as `to` to go on. */
  resumeBefore: Date | null;
}

export async function searchBodies(
  repo: LogRepository,
  actor: Actor,
  input: { text: string; filter?: unknown; first?: number | null; workspaceId?: string | null },
  limits: { maxScanned?: number; maxMs?: number; signal?: AbortSignal } = {},
): Promise<BodySearchResult> {
  requireScope(actor, 'logs.list');
  const parsed = inputSchema.safeParse({ text: input.text, first: input.first, workspaceId: input.workspaceId });
  if (!parsed.success) throw validationError(parsed.error.issues);
  const filter = parseLogFilter(input.filter ?? {}, ['filter']);
  if (!filter.from)
    throw new DomainError('BAD_REQUEST', 'A body search needs a time range', [
      { path: ['filter', 'from'], message: 'Required: body search reads every log of the range' },
    ]);
  const workspaceId = resolveWorkspace(actor, parsed.data.workspaceId);
  const needle = parsed.data.text.toLowerCase();
  const first = parsed.data.first ?? 25;
  const maxScanned = limits.maxScanned ?? MAX_SCANNED;
  const deadline = Date.now() + (limits.maxMs ?? MAX_MS);
  const items: LogRecord[] = [];
  let scanned = 0;
  let last: LogRecord | undefined;
  let stopped = false;
  for await (const log of repo.streamMatching(workspaceId, filter, {}, { batchSize: 500, withoutHeaders: true })) {
    scanned += 1;
    last = log;
    if (log.request.body.toLowerCase().includes(needle) || log.response.body.toLowerCase().includes(needle)) items.push(log);
    if (items.length >= first || scanned >= maxScanned || Date.now() > deadline || limits.signal?.aborted) {
      stopped = true;
      break;
    }
  }
  return { items, scanned, complete: !stopped, resumeBefore: stopped && last ? last.createdAt : null };
}
