import type { Db, IndexDescription } from 'mongodb';
import type { SegmentLayout } from './segment-writer.js';

/**
 * Indexes of every segment's list collection, for MongoDB: each query shape the repository issues (see
 * test/unit/segment-indexes.test.ts) has one whose keys are its equality fields, then the sort, then ranges.
 * FerretDB gets none: it reads through no index but _id, and each would only slow its inserts.
 */
export const SEGMENT_INDEXES: IndexDescription[] = [
  { key: { created_at: -1, _id: -1 }, name: 'created' },
  { key: { trace_id: 1, created_at: 1, _id: 1 }, name: 'trace_created' },
  { key: { span_id: 1, created_at: -1, _id: -1 }, name: 'span_created' },
  { key: { model: 1, created_at: -1, _id: -1 }, name: 'model_created' },
  { key: { provider: 1, created_at: -1, _id: -1 }, name: 'provider_created' },
  { key: { status_code: 1, created_at: -1, _id: -1 }, name: 'status_created' },
  { key: { is_success: 1, created_at: -1, _id: -1 }, name: 'success_created' },
  { key: { meta: 1, created_at: -1, _id: -1 }, name: 'meta_created' },
  { key: { prompt_slug: 1, created_at: -1, _id: -1 }, name: 'prompt_created' },
  { key: { config: 1, created_at: -1, _id: -1 }, name: 'config_created' },
  { key: { virtual_key: 1, created_at: -1, _id: -1 }, name: 'virtual_key_created' },
];

/** What an index needs to know about a query: its equality fields, its sort, its range fields. */
export interface QueryShape {
  equality: string[];
  sort: [string, 1 | -1][];
  ranges: string[];
}

const isRange = (cond: unknown) =>
  typeof cond === 'object' && cond !== null && !(cond instanceof Date) && Object.keys(cond).some((k) => ['$gt', '$gte', '$lt', '$lte'].includes(k));

/** The shape of a query as the repository builds it (toMongoFilter + a sort); $or/$and branches count as ranges. */
export function queryShape(q: Record<string, unknown>, sort: Record<string, 1 | -1> = {}): QueryShape {
  const equality: string[] = [];
  const ranges: string[] = [];
  for (const [field, cond] of Object.entries(q)) {
    if (field === '$and' || field === '$or') continue;
    // $all of metadata pairs is equality on the multikey `meta` (its index bounds are the first pair).
    if (field === 'meta') {
      equality.push(field);
      continue;
    }
    (isRange(cond) ? ranges : equality).push(field);
  }
  return { equality, sort: Object.entries(sort), ranges };
}

/**
 * Whether MongoDB can answer the shape from the index without an in-memory sort: keys start with some of the
 * query's equality fields (at least one when the query has any, so the index is also selective), followed by
 * the whole sort in its direction or reversed; keys after that are free (ranges are checked against them).
 */
export function servedBy(shape: QueryShape, index: IndexDescription): boolean {
  const keys = Object.entries(index.key as Record<string, 1 | -1>);
  let i = 0;
  while (i < keys.length && shape.equality.includes(keys[i]![0])) i++;
  if (shape.equality.length > 0 && i === 0) return false;
  if (shape.sort.length === 0) return i > 0 || (keys[0] !== undefined && shape.ranges.includes(keys[0][0]));
  const rest = keys.slice(i, i + shape.sort.length);
  if (rest.length < shape.sort.length) return false;
  const same = rest.every(([k, d], j) => k === shape.sort[j]![0] && d === shape.sort[j]![1]);
  const reversed = rest.every(([k, d], j) => k === shape.sort[j]![0] && d === -shape.sort[j]![1]);
  return same || reversed;
}

export interface SegmentLayoutOptions {
  /** Documents per segment; default 1,000 on FerretDB (every scan decodes a whole segment), 1,000,000 on MongoDB. */
  segmentDocs?: number;
  /** Hours after which an open segment is sealed even when not full. */
  segmentHours?: number;
}

/** FerretDB identifies itself in buildInfo. */
export async function isFerretDb(db: Db): Promise<boolean> {
  const info = await db.admin().command({ buildInfo: 1 });
  return 'ferretdbVersion' in info;
}

/** Above this size an open segment's rows and bodies are not kept in memory (they would take ~3 KB per log). */
const MAX_KEPT_OPEN_ROWS = 20_000;

export async function segmentLayout(db: Db, opts: SegmentLayoutOptions): Promise<SegmentLayout> {
  const ferret = await isFerretDb(db);
  const maxDocs = opts.segmentDocs ?? (ferret ? 1000 : 1_000_000);
  const keepOpenRows = ferret && maxDocs <= MAX_KEPT_OPEN_ROWS;
  return {
    maxDocs,
    maxAgeMs: (opts.segmentHours ?? 24) * 3_600_000,
    bloomMaxBytes: ferret ? 64 * 1024 : 1024 * 1024,
    indexes: ferret ? [] : SEGMENT_INDEXES,
    pack: ferret,
    segmentDatabases: ferret,
    keepOpenRows,
    batchLists: keepOpenRows,
  };
}
