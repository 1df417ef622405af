import { Binary, type Collection, type Db, type Document, type Filter, type OptionalUnlessRequiredId } from 'mongodb';
import { isDuplicateKey } from '../driver-errors.js';
import { BloomFilter } from './bloom.js';
import { segmentDb } from './segment-databases.js';
import type { PackRef } from './segment-packs.js';

/**
 * Logs live in bounded segments, one collection pair per segment (list documents and bodies), so that a
 * query touches only the segments it needs: on FerretDB every query not by exact _id decodes its whole
 * collection, so the cost of a read is the size of the segments it opens. The catalog has one small entry
 * per segment with what lets a reader skip it (time range, exact value sets, Bloom filters kept apart).
 */
export const CATALOG = 'log_segments';
/**
 * Entries of open segments live apart from sealed ones: they change with every write and are re-read every
 * second, while sealed entries never change and are re-read only now and then (retention may delete them).
 */
export const OPEN_CATALOG = 'log_segments_open';
/** Bloom filters of sealed segments, by segment id: immutable, read once per process, kept out of the catalog scan. */
export const BLOOMS = 'log_segment_blooms';
/** log id -> segment: findById by exact _id, and the unique _id that keeps client ids idempotent across segments. */
export const LOG_IDS = 'log_ids';

export interface SegmentEntry {
  /** Time-ordered, so catalog order is creation order. */
  _id: string;
  workspace_id: string;
  /** Sealed segments take no more writes; their entry is exact and final. */
  sealed: boolean;
  /** The process that appends to an open segment (only it writes there, only it seals it). */
  writer: string;
  count: number;
  created_min: Date | null;
  created_max: Date | null;
  /** Exact sets of the values present, for skipping segments and for value suggestions. */
  models: string[];
  providers: string[];
  status_codes: number[];
  opened_at: Date;
  updated_at: Date;
  /** A sealed segment whose list documents are also packed (see segment-packs.ts). */
  packed?: boolean;
  /** Its pack's version and chunks; absent for a pack of one document written by earlier versions. */
  pack?: PackRef;
  /**
   * Per sortable column (SORTED_COLUMNS), the first row of the segment in each direction, as [value, id]
   * (null: no value, which sorts lowest): a sorted page skips sealed segments whose best row comes after its last.
   */
  sort_bounds?: Record<string, { hi: SortKey; lo: SortKey }>;
  /** Body pack documents beside the list pack, written at sealing by earlier versions (retention drops them). */
  body_packs?: number;
  /** Bloom filter of a sealed segment's log ids (small: kept in the entry, so every process has them all). */
  ids?: Binary;
}

/** A row's place in a sorted column: its value (null when it has none) and its id (ties, as pages order them). */
export type SortKey = [number | null, string];

/** Columns a page may sort by besides created_at; the catalog keeps their bounds per segment. */
export const SORTED_COLUMNS = ['cost', 'total_tokens', 'response_time'] as const;
export type SortedColumn = (typeof SORTED_COLUMNS)[number];

/** Row order of a sorted page: by value (none lowest), then by id; `dir` 1 ascending, -1 descending. */
export function compareSortKeys(dir: 1 | -1, [x, a]: SortKey, [y, b]: SortKey): number {
  const nx = x ?? -Infinity;
  const ny = y ?? -Infinity;
  return dir * (nx < ny ? -1 : nx > ny ? 1 : 0) || dir * (a < b ? -1 : a > b ? 1 : 0);
}

export interface SegmentBlooms {
  _id: string;
  traces: Binary;
  metadata: Binary;
}

export const listCollection = (segmentId: string) => `logs_${segmentId}`;
export const bodyCollection = (segmentId: string) => `logs_${segmentId}_bodies`;

/** A segment's list collection, in the database that holds it (see segment-databases.ts). */
export const listOf = <T extends Document = Document>(db: Db, segmentId: string): Collection<T> =>
  segmentDb(db, segmentId).collection<T>(listCollection(segmentId));
/** A segment's body collection, in the database that holds it. */
export const bodiesOf = <T extends Document = Document>(db: Db, segmentId: string): Collection<T> =>
  segmentDb(db, segmentId).collection<T>(bodyCollection(segmentId));

/**
 * The catalog as this process knows it. Reads call `segments()`, which re-reads the open entries (a handful)
 * when the cache is older than `maxAgeMs`, so segments opened or sealed by other processes become visible
 * within that time; sealed entries are re-read whole every `sealedMaxAgeMs` (retention elsewhere may drop
 * some). This process's own writes update the cache directly.
 */
export class SegmentCatalog {
  readonly open: Collection<SegmentEntry>;
  readonly sealed: Collection<SegmentEntry>;
  private readonly blooms: Collection<SegmentBlooms>;
  private readonly byId = new Map<string, SegmentEntry>();
  private readonly bloomCache = new Map<string, { traces: BloomFilter; metadata: BloomFilter } | null>();
  /** Decoded id filters, per entry object (a replaced entry decodes its own). */
  private readonly idFilters = new WeakMap<SegmentEntry, BloomFilter>();
  private bloomsLoaded?: Promise<void>;
  private refreshedAt = -Infinity;
  private sealedRefreshedAt = -Infinity;
  private refreshing?: Promise<void>;

  constructor(
    db: Db,
    private readonly maxAgeMs = 1000,
    private readonly sealedMaxAgeMs = 60_000,
  ) {
    this.open = db.collection(OPEN_CATALOG);
    this.sealed = db.collection(CATALOG);
    this.blooms = db.collection(BLOOMS);
  }

  /** The segments of a workspace, newest created_max first (open segments, whose range still grows, first of all). */
  async segments(workspaceId: string): Promise<SegmentEntry[]> {
    if (performance.now() - this.refreshedAt > this.maxAgeMs) await this.refresh();
    return sortNewestFirst([...this.byId.values()].filter((e) => e.workspace_id === workspaceId));
  }

  /** A segment's entry as of the last refresh, if it has one. */
  get(segmentId: string): SegmentEntry | undefined {
    return this.byId.get(segmentId);
  }

  /** Every segment, as of the last refresh. */
  cached(): SegmentEntry[] {
    return [...this.byId.values()];
  }

  /** Every segment of every workspace, refreshed as `segments()` does. */
  async everything(): Promise<SegmentEntry[]> {
    if (performance.now() - this.refreshedAt > this.maxAgeMs) await this.refresh();
    return this.cached();
  }

  /** Whether a sealed segment may hold a log id (true when it has no id filter). */
  mayHoldId(e: SegmentEntry, id: string): boolean {
    if (!e.ids) return true;
    let f = this.idFilters.get(e);
    if (!f) this.idFilters.set(e, (f = new BloomFilter(new Uint8Array(e.ids.buffer))));
    return f.mayHave(id);
  }

  async all(): Promise<SegmentEntry[]> {
    this.sealedRefreshedAt = -Infinity;
    await this.refresh();
    return this.cached();
  }

  refresh(): Promise<void> {
    // The periodic re-read of sealed entries runs beside requests, not in their way: at a million logs it reads
    // ~1,000 entries (~300 ms on the embedded database), and entries sealed meanwhile are found by the open
    // refresh below. Only the first read (and all(), retention's) is waited for.
    if (this.sealedRefreshedAt !== -Infinity && performance.now() - this.sealedRefreshedAt > this.sealedMaxAgeMs) {
      this.sealedRefreshedAt = performance.now();
      const since = new Date();
      void this.sealed
        .find({}, { batchSize: 100_000 })
        .toArray()
        .then((sealed) => this.applySealed(sealed, since))
        .catch(() => undefined); // tried again after sealedMaxAgeMs
    }
    this.refreshing ??= this.reload().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  /**
   * Takes a full read of the sealed entries, begun at `readSince`: new and changed ones in, sealed ones missing
   * from it out (retention elsewhere dropped them). Entries changed here since (sealed, trimmed) keep this
   * process's copy, newer than what the read saw.
   */
  private applySealed(sealed: SegmentEntry[], readSince: Date): void {
    const sealedIds = new Set(sealed.map((e) => e._id));
    for (const [id, e] of this.byId) if (e.sealed && !sealedIds.has(id) && e.updated_at < readSince) this.removeLocal(e);
    for (const e of sealed) {
      const known = this.byId.get(e._id);
      if (!known?.sealed || known.updated_at <= e.updated_at) this.byId.set(e._id, e);
    }
  }

  private async reload(): Promise<void> {
    const started = performance.now();
    const startedAt = new Date();
    const wholeSealed = this.sealedRefreshedAt === -Infinity;
    const [open, sealed] = await Promise.all([
      this.open.find({}, { batchSize: 100_000 }).toArray(),
      wholeSealed ? this.sealed.find({}, { batchSize: 100_000 }).toArray() : undefined,
    ]);
    const openIds = new Set(open.map((e) => e._id));
    if (sealed) {
      const sealedIds = new Set(sealed.map((e) => e._id));
      this.applySealed(sealed, startedAt);
      // Open entries gone from both lists were dropped (or sealed and dropped) elsewhere.
      for (const [id, e] of this.byId) if (!e.sealed && !sealedIds.has(id) && !openIds.has(id) && e.updated_at < startedAt) this.removeLocal(e);
      this.sealedRefreshedAt = started;
    } else {
      // An open entry that went away was sealed (or dropped) by its writer: fetch its sealed entry by _id.
      const gone = [...this.byId.values()].filter((e) => !e.sealed && !openIds.has(e._id));
      await Promise.all(
        gone.map(async (e) => {
          const s = await this.sealed.findOne({ _id: e._id });
          if (s) this.byId.set(s._id, s);
          else this.removeLocal(e);
        }),
      );
    }
    for (const e of open) {
      const known = this.byId.get(e._id);
      // A sealed copy wins (the writer inserts it before deleting the open one); a local copy as new or newer
      // too (its writer's, which flushes it to the database a little later).
      if (known?.sealed || (known && known.updated_at >= e.updated_at)) continue;
      this.byId.set(e._id, e);
    }
    this.refreshedAt = started;
  }

  /** Records this process's own change at once (the database copy is written by the caller). */
  putLocal(e: SegmentEntry): void {
    this.byId.set(e._id, e);
  }

  removeLocal(e: SegmentEntry): void {
    this.byId.delete(e._id);
    this.bloomCache.delete(e._id);
  }

  /** Bloom filters of a sealed segment; null when none were stored (the segment must then be opened). */
  async bloomsOf(segmentId: string): Promise<{ traces: BloomFilter; metadata: BloomFilter } | null> {
    // All at once the first time: one query instead of one per segment (and on a FerretDB/SQLite without the
    // launcher's _id index, a read by _id parses the whole table anyway).
    await (this.bloomsLoaded ??= this.loadAllBlooms().catch(() => {
      this.bloomsLoaded = undefined; // tried again next time; meanwhile filters are read one by one
    }));
    if (this.bloomCache.has(segmentId)) return this.bloomCache.get(segmentId)!;
    const doc = await this.blooms.findOne({ _id: segmentId });
    const b = doc && decodeBlooms(doc);
    this.bloomCache.set(segmentId, b);
    return b;
  }

  private async loadAllBlooms(): Promise<void> {
    for (const doc of await this.blooms.find({}, { batchSize: 1_000_000 }).toArray()) this.bloomCache.set(doc._id, decodeBlooms(doc));
  }

  /**
   * Publishes a sealed segment: Bloom filters, then its final entry, then the open entry goes. Both are inserted,
   * replaced only when a copy exists (a seal that failed half-way and is redone): on FerretDB 1.24/SQLite as
   * released an upsert by _id parses every row of its table, and these tables hold an entry per segment
   * (measured 0.4 s per seal at ~800 segments, busy machine), where an insert goes through the unique index.
   * (The embedded launcher indexes those lookups, scripts/ferretdb/idindex.go; a FerretDB behind MONGODB_URI
   * may not.)
   */
  async publishSealed(entry: SegmentEntry, traces: BloomFilter, metadata: BloomFilter): Promise<void> {
    await insertOrReplace(this.blooms, { _id: entry._id, traces: new Binary(traces.bits), metadata: new Binary(metadata.bits) });
    this.bloomCache.set(entry._id, { traces, metadata });
    await insertOrReplace(this.sealed, entry);
    await this.open.deleteOne({ _id: entry._id });
    this.putLocal(entry);
  }

  /** Forgets a segment everywhere in the catalog (its collections are dropped by the caller). */
  async forget(entry: SegmentEntry): Promise<void> {
    await this.sealed.deleteOne({ _id: entry._id });
    await this.open.deleteOne({ _id: entry._id });
    await this.blooms.deleteOne({ _id: entry._id });
    this.removeLocal(entry);
  }
}

async function insertOrReplace<T extends { _id: string }>(col: Collection<T>, doc: T): Promise<void> {
  try {
    await col.insertOne(doc as OptionalUnlessRequiredId<T>);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    await col.replaceOne({ _id: doc._id } as Filter<T>, doc);
  }
}

const decodeBlooms = (doc: SegmentBlooms) => ({
  traces: new BloomFilter(new Uint8Array(doc.traces.buffer)),
  metadata: new BloomFilter(new Uint8Array(doc.metadata.buffer)),
});

const maxOf = (e: SegmentEntry) => (e.sealed ? (e.created_max?.getTime() ?? -Infinity) : Infinity);

export function sortNewestFirst(list: SegmentEntry[]): SegmentEntry[] {
  return list.sort((a, b) => maxOf(b) - maxOf(a) || (a._id < b._id ? 1 : -1));
}
