import { z } from 'zod';
import { DomainError } from '../errors.js';
import { LOG_SORT_FIELDS, type LogSort } from './browse-model.js';

export const logSortSchema = z.strictObject({
  field: z.enum(LOG_SORT_FIELDS),
  direction: z.enum(['asc', 'desc']).default('desc'),
});

/** Newest first is the keyset order every list, export and cursor already uses. */
export function isNewestFirst(sort: LogSort | undefined): boolean {
  return !sort || (sort.field === 'createdAt' && sort.direction === 'desc');
}

const keyOf = (s: LogSort) => `${s.field}:${s.direction}`;

/**
 * Cursors of sorted pages are offsets (and the order they belong to): cost, tokens and latency may be absent
 * or tied on many rows, which keyset paging over nullable fields would make fragile.
 */
export function encodeOffsetCursor(sort: LogSort, offset: number): string {
  return Buffer.from(JSON.stringify({ s: keyOf(sort), o: offset })).toString('base64url');
}

export function decodeOffsetCursor(sort: LogSort, cursor: string): number {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { s?: unknown; o?: unknown };
    if (v.s === keyOf(sort) && typeof v.o === 'number' && Number.isInteger(v.o) && v.o >= 0) return v.o;
  } catch {
    /* fall through */
  }
  throw new DomainError('BAD_REQUEST', 'Invalid cursor', [{ path: ['after'], message: 'Not a cursor returned by a previous page in this order' }]);
}
