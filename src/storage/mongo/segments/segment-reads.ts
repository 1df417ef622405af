import type { Db, Filter } from 'mongodb';
import { Query } from 'mingo';
import type { LogFilter } from '../../../domain/logs/log-filter.js';
import type { LogDoc } from '../log-document.js';
import { bodiesOf, listOf, type SegmentCatalog, type SegmentEntry } from './catalog.js';
import { type BodyDoc, joinLogDoc, type ListDoc, metaPair } from './segment-docs.js';
import { type BodyHolder, bodiesIn, bodyHolderOf } from './segment-bodies.js';
import { type ListHolder, readAllLists } from './segment-lists.js';
import { PackCache } from './segment-packs.js';

/** A list document with the segment it came from. */
export interface Located {
  doc: ListDoc;
  segment: string;
}

/** Parallel exact-_id body batch lookups at a time (each is a pushed-down primary-key read on FerretDB). */
const BODY_LOOKUPS = 16;
/** A segment at most this many times larger than the rows wanted is read with one $in query. */
const SMALL_SEGMENT_FACTOR = 4;
/** Above this share of a segment's rows, one read of its whole body collection beats lookups by _id. */
const BULK_BODY_SHARE = 0.2;

/** Newest first, ties by id descending. */
export function newerFirst(a: ListDoc, b: ListDoc): number {
  return b.created_at.getTime() - a.created_at.getTime() || (a._id < b._id ? 1 : a._id > b._id ? -1 : 0);
}

const overlaps = <T>(set: readonly T[], wanted: readonly T[] | undefined) => wanted === undefined || wanted.some((w) => set.includes(w));

/**
 * Whether a segment may hold logs matching the filter, from its catalog entry alone (open segments' sets
 * are still growing, so only the time range of sealed ones and nothing else is trusted for them).
 */
export function mayMatch(e: SegmentEntry, f: LogFilter, before?: Date): boolean {
  if (e.count === 0 && e.sealed) return false;
  if (!e.sealed) return true;
  const min = e.created_min;
  const max = e.created_max;
  if (!min || !max) return false;
  if ((f.from && max < f.from) || (f.to && min > f.to) || (before && min > before)) return false;
  if (!overlaps(e.models, f.model) || !overlaps(e.providers, f.provider) || !overlaps(e.status_codes, f.statusCode)) return false;
  if (f.providerModel && !f.providerModel.some((p) => e.providers.includes(p.provider) && e.models.includes(p.model))) return false;
  return true;
}

/** Sealed segments that pass mayMatch, further narrowed by their Bloom filters (trace ids, metadata pairs). */
export async function candidates(catalog: SegmentCatalog, workspaceId: string, f: LogFilter, before?: Date): Promise<SegmentEntry[]> {
  const all = (await catalog.segments(workspaceId)).filter((e) => mayMatch(e, f, before));
  const pairs = Object.entries(f.metadata ?? {}).map(([k, v]) => metaPair(k, v));
  if (!f.traceId && pairs.length === 0) return all;
  const keep = await Promise.all(
    all.map(async (e) => {
      if (!e.sealed) return true;
      const b = await catalog.bloomsOf(e._id);
      if (!b) return true;
      if (f.traceId && !f.traceId.some((t) => b.traces.mayHave(t))) return false;
      return pairs.every((p) => b.metadata.mayHave(p));
    }),
  );
  return all.filter((_, i) => keep[i]);
}

/** Whether every document of a sealed segment matches: its count then answers a count without a scan. */
export function matchesWhole(e: SegmentEntry, f: LogFilter): boolean {
  if (!e.sealed || !e.created_min || !e.created_max) return false;
  const keys = Object.keys(f).filter((k) => (f as Record<string, unknown>)[k] !== undefined);
  for (const k of keys) {
    if (k === 'from' && f.from! <= e.created_min) continue;
    if (k === 'to' && f.to! >= e.created_max) continue;
    if (k === 'model' && e.models.every((m) => f.model!.includes(m)) && e.models.length > 0) continue;
    if (k === 'provider' && e.providers.every((p) => f.provider!.includes(p)) && e.providers.length > 0) continue;
    if (k === 'statusCode' && e.status_codes.every((s) => f.statusCode!.includes(s))) continue;
    return false;
  }
  return true;
}

/** Full logs for list documents, bodies fetched by their batch's exact _id (or in one read when most of the segment is wanted). */
export async function withBodies(
  db: Db,
  rows: Located[],
  segments: Map<string, SegmentEntry>,
  localBatches: (segment: string) => Map<string, BodyHolder> | undefined = () => undefined,
): Promise<LogDoc[]> {
  const bodies = new Map<string, BodyDoc>();
  const bySegment = new Map<string, ListDoc[]>();
  // Batches this process holds for its open segments: decoded once each, for the rows that want them.
  const local = new Map<string, BodyHolder>();
  const localWanted = new Set<string>();
  for (const r of rows) {
    const batch = localBatches(r.segment)?.get(bodyHolderOf(r.doc));
    if (batch) {
      local.set(batch._id, batch);
      localWanted.add(r.doc._id);
    } else (bySegment.get(r.segment) ?? bySegment.set(r.segment, []).get(r.segment)!).push(r.doc);
  }
  const keep = (holders: Iterable<BodyHolder | null>, wanted?: Set<string>) => {
    for (const h of holders) if (h) for (const b of bodiesIn(h)) if (!wanted || wanted.has(b._id)) bodies.set(b._id, b);
  };
  keep(local.values(), localWanted);
  for (const [segment, lists] of bySegment) {
    const col = bodiesOf<BodyHolder>(db, segment);
    const entry = segments.get(segment);
    const total = entry?.count ?? Infinity;
    if (lists.length > 64 && lists.length >= total * BULK_BODY_SHARE) {
      // In one batch: FerretDB on SQLite re-runs the query for every further batch.
      keep(await col.find({}, { batchSize: total + 1000 }).toArray());
      continue;
    }
    const wanted = new Set(lists.map((l) => l._id));
    const holders = [...new Set(lists.map(bodyHolderOf))];
    if (total <= lists.length * SMALL_SEGMENT_FACTOR) {
      // A small segment (a young one): one query costs less than a round trip per batch.
      keep(await col.find({ _id: { $in: holders } }, { batchSize: total + 1000 }).toArray(), wanted);
      continue;
    }
    for (let i = 0; i < holders.length; i += BODY_LOOKUPS) {
      keep(await Promise.all(holders.slice(i, i + BODY_LOOKUPS).map((id) => col.findOne({ _id: id }))), wanted);
    }
  }
  return rows.map((r) => joinLogDoc(r.doc, bodies.get(r.doc._id)));
}

export interface SegmentReadOptions {
  sort?: Record<string, 1 | -1>;
  limit?: number;
  projection?: Record<string, 0>;
  /** One pass over many segments (an export): packs are not added to the caches (PackCache.rows). */
  once?: boolean;
}

/**
 * One segment's matching list documents. On MongoDB a query its indexes serve (in one batch: FerretDB on SQLite
 * re-runs a query per batch); with `whole` (the embedded layout, whose list collections may hold batches, see
 * segment-lists.ts) the collection is read whole and matched here, as the database would have scanned it anyway.
 */
export async function readCollection(db: Db, segment: string, q: Filter<LogDoc>, opts: SegmentReadOptions = {}, whole = false): Promise<ListDoc[]> {
  if (whole) return matching(await readAllLists(listOf<ListHolder>(db, segment)), q, opts);
  const size = opts.limit ?? 1_000_000;
  return listOf<ListDoc>(db, segment)
    .find(q as Filter<ListDoc>, { sort: opts.sort, limit: opts.limit, batchSize: size + 1, projection: opts.projection })
    .toArray();
}

/** The rows matching a query, with MongoDB's semantics (mingo), sorted and limited as asked. */
function matching(rows: ListDoc[], q: Filter<LogDoc>, opts: SegmentReadOptions): ListDoc[] {
  const match = new Query(q as Record<string, unknown>);
  const found = rows.filter((d) => match.test(d));
  if (opts.sort) found.sort(bySort(opts.sort));
  return opts.limit === undefined ? found : found.slice(0, opts.limit);
}

/**
 * Reads segments: those open in this process from the writer's copy of their rows, sealed ones from their
 * pack when they have one (the query is then evaluated in Node with MongoDB's semantics, by mingo), others
 * from their list collection (read whole on the embedded layout: `wholeLists`).
 */
export class SegmentReader {
  private readonly packs: PackCache;

  constructor(
    private readonly db: Db,
    private readonly localRows: (segmentId: string) => ListDoc[] | undefined = () => undefined,
    private readonly wholeLists: () => boolean = () => false,
  ) {
    this.packs = new PackCache(db);
  }

  private async rowsOf(e: SegmentEntry, keep = true): Promise<ListDoc[] | null> {
    const local = this.localRows(e._id);
    if (local) return local;
    return e.sealed && e.packed ? this.packs.rows(e, keep) : null;
  }

  async read(e: SegmentEntry, q: Filter<LogDoc>, opts: SegmentReadOptions = {}): Promise<ListDoc[]> {
    const rows = await this.rowsOf(e, !opts.once);
    return rows ? matching(rows, q, opts) : readCollection(this.db, e._id, q, opts, this.wholeLists());
  }

  /** One log's list document from a segment, by id: a sealed segment's pack reads only the chunk that would hold it. */
  async row(e: SegmentEntry, id: string): Promise<ListDoc | undefined> {
    const local = this.localRows(e._id);
    if (local) return local.find((d) => d._id === id);
    const packed = e.sealed && e.packed ? await this.packs.row(e, id) : null;
    if (packed !== null) return packed;
    return (await readCollection(this.db, e._id, { _id: id }, { limit: 1 }, this.wholeLists()))[0];
  }

  /** As count, for background work: `between` is awaited between steps, each small (segment-packs.ts countInChunks). */
  async countInSteps(e: SegmentEntry, q: Filter<LogDoc>, between: () => Promise<void>): Promise<number> {
    if (e.sealed && e.packed && !this.localRows(e._id)) {
      const match = new Query(q as Record<string, unknown>);
      const n = await this.packs.countInChunks(e, (d) => match.test(d), between);
      if (n !== null) return n;
    }
    await between();
    return this.count(e, q);
  }

  async count(e: SegmentEntry, q: Filter<LogDoc>): Promise<number> {
    const rows = (await this.rowsOf(e)) ?? (this.wholeLists() ? await readAllLists(listOf<ListHolder>(this.db, e._id)) : null);
    if (!rows) return listOf<ListDoc>(this.db, e._id).countDocuments(q as Filter<ListDoc>);
    const match = new Query(q as Record<string, unknown>);
    let n = 0;
    for (const d of rows) if (match.test(d)) n++;
    return n;
  }
}

/** MongoDB's sort order for the values list documents hold: missing values first, then numbers, strings, dates. */
function bySort(sort: Record<string, 1 | -1>): (a: ListDoc, b: ListDoc) => number {
  const keys = Object.entries(sort);
  return (a, b) => {
    for (const [k, dir] of keys) {
      const c = compareValues((a as unknown as Record<string, unknown>)[k], (b as unknown as Record<string, unknown>)[k]);
      if (c !== 0) return dir * c;
    }
    return 0;
  };
}

function compareValues(x: unknown, y: unknown): number {
  const rank = (v: unknown) =>
    v === undefined || v === null ? 0 : typeof v === 'number' ? 1 : typeof v === 'string' ? 2 : typeof v === 'boolean' ? 4 : v instanceof Date ? 5 : 3;
  const rx = rank(x);
  const ry = rank(y);
  if (rx !== ry) return rx - ry;
  if (x instanceof Date && y instanceof Date) return x.getTime() - y.getTime();
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  if (typeof x === 'string' && typeof y === 'string') return x < y ? -1 : x > y ? 1 : 0;
  if (typeof x === 'boolean' && typeof y === 'boolean') return Number(x) - Number(y);
  return 0;
}
