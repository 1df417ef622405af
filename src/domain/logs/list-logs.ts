import { z } from 'zod';
import { type Actor, requireScope, resolveWorkspace } from '../auth/actor.js';
import { DomainError, validationError } from '../errors.js';
import { parseLogFilter } from './log-filter.js';
import { COUNT_BUDGET_MS, type LogCursor, type LogRecord, type LogRepository } from './log-model.js';
import type { LogBrowseRepository, LogSort } from '../browse/browse-model.js';
import { decodeOffsetCursor, encodeOffsetCursor, isNewestFirst, logSortSchema } from '../browse/log-sort.js';

export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 50;

const pageSchema = z.object({
  first: z.number().int().min(1).max(MAX_PAGE_SIZE).nullish(),
  after: z.string().min(1).max(200).nullish(),
  workspaceId: z.string().min(1).max(128).nullish(),
  sort: logSortSchema.nullish(),
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
  /** The cursor after each item, in order (what `after` takes to continue from it). */
  cursors: string[];
}

export interface ListLogsInput {
  filter?: unknown;
  first?: number | null;
  after?: string | null;
  workspaceId?: string | null;
  /** Default: newest first. Other orders page by offset. */
  sort?: LogSort | null;
}

/** One page of logs, newest first (ties by id) unless `sort` says otherwise. Shared by GraphQL `logs` and tRPC `logs.list`. */
export async function listLogs(repo: LogRepository, browse: LogBrowseRepository, actor: Actor, input: ListLogsInput): Promise<LogPageResult> {
  requireScope(actor, 'logs.list');
  const page = pageSchema.safeParse({ first: input.first, after: input.after, workspaceId: input.workspaceId, sort: input.sort });
  if (!page.success) throw validationError(page.error.issues);
  const filter = parseLogFilter(input.filter ?? {}, ['filter']);
  const workspaceId = resolveWorkspace(actor, page.data.workspaceId);
  const first = page.data.first ?? DEFAULT_PAGE_SIZE;
  const sort = page.data.sort ?? undefined;
  if (!isNewestFirst(sort)) {
    const offset = page.data.after ? decodeOffsetCursor(sort!, page.data.after) : 0;
    const [rows, totalCount] = await Promise.all([
      browse.listSorted(workspaceId, filter, { sort: sort!, offset, limit: first + 1 }),
      repo.countMatching(workspaceId, filter, {}, { budgetMs: COUNT_BUDGET_MS }),
    ]);
    const items = rows.slice(0, first);
    const cursors = items.map((_r, i) => encodeOffsetCursor(sort!, offset + i + 1));
    return { items, totalCount, hasNextPage: rows.length > first, endCursor: cursors.at(-1) ?? null, cursors };
  }
  const after = page.data.after ? decodeCursor(page.data.after) : undefined;
  const [rows, totalCount] = await Promise.all([
    repo.listMatching(workspaceId, filter, { first: first + 1, after }),
    repo.countMatching(workspaceId, filter, {}, { budgetMs: COUNT_BUDGET_MS }),
  ]);
  const items = rows.slice(0, first);
  const cursors = items.map(encodeCursor);
  return { items, totalCount, hasNextPage: rows.length > first, endCursor: cursors.at(-1) ?? null, cursors };
}
