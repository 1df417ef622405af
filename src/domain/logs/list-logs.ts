import { z } from 'zod';
import { type Actor, requireScope, resolveWorkspace } from '../auth/actor.js';
import { DomainError, validationError } from '../errors.js';
import { parseLogFilter } from './log-filter.js';
import type { LogCursor, LogRecord, LogRepository } from './log-model.js';

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 50;

const pageSchema = z.object({
  first: z.number().int().min(1).max(MAX_PAGE_SIZE).nullish(),
  after: z.string().min(1).max(200).nullish(),
  workspaceId: z.string().min(1).max(128).nullish(),
});

/** Opaque page cursors: the (created_at, id) position of the last log of a page, newest-first order. */
export function encodeCursor(r: Pick<LogRecord, 'createdAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([r.createdAt.getTime(), r.id])).toString('base64url');
}

export function decodeCursor(cursor: string): LogCursor {
  try {
    const [t, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown, unknown];
    if (typeof t === 'number' && Number.isFinite(t) && typeof id === 'string') return { createdAt: new Date(t), id };
  } catch {
    /* fall through */
  }
  throw new DomainError('BAD_REQUEST', 'Invalid cursor', [{ path: ['after'], message: 'Not a cursor returned by a previous page' }]);
}

export interface LogPageResult {
  items: LogRecord[];
  totalCount: number;
  hasNextPage: boolean;
  endCursor: string | null;
}

/** One page of logs, newest first (ties by id). Shared by GraphQL `logs` and tRPC `logs.list`. */
export async function listLogs(repo: LogRepository, actor: Actor, input: { filter?: unknown; first?: number | null; after?: string | null; workspaceId?: string | null }): Promise<LogPageResult> {
  requireScope(actor, 'logs.list');
  const page = pageSchema.safeParse({ first: input.first, after: input.after, workspaceId: input.workspaceId });
  if (!page.success) throw validationError(page.error.issues);
  const filter = parseLogFilter(input.filter ?? {}, ['filter']);
  const workspaceId = resolveWorkspace(actor, page.data.workspaceId);
  const first = page.data.first ?? DEFAULT_PAGE_SIZE;
  const after = page.data.after ? decodeCursor(page.data.after) : undefined;
  const [rows, totalCount] = await Promise.all([repo.listMatching(workspaceId, filter, { first: first + 1, after }), repo.countMatching(workspaceId, filter)]);
  const items = rows.slice(0, first);
  const last = items[items.length - 1];
  return { items, totalCount, hasNextPage: rows.length > first, endCursor: last ? encodeCursor(last) : null };
}
