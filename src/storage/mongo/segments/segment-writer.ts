import { randomBytes } from 'node:crypto';
import { Binary, type Collection, type Db, type IndexDescription, MongoBulkWriteError } from 'mongodb';
import { DUPLICATE_KEY, translateDriverError } from '../driver-errors.js';
import type { LogDoc } from '../log-document.js';
import { bodiesOf, LOG_IDS, listOf, type SegmentCatalog, type SegmentEntry } from './catalog.js';
import { DATABASE_MAX_AGE_MS, databaseKey, SEGMENTS_PER_DATABASE, segmentIdIn } from './segment-databases.js';
import { type BodyDoc, type ListDoc, splitLogDoc } from './segment-docs.js';
import { type BodyBatchDoc, batchBodies } from './segment-bodies.js';
import { type ListHolder, packLists, readAllLists } from './segment-lists.js';
import { rowText } from './segment-rows.js';
import { readCollection } from './segment-reads.js';
import { packFields, writePack } from './segment-packs.js';
import { SegmentStats } from './segment-stats.js';

/**
 * Open segments' catalog entries are written at most this often, not after every write: other processes read
 * open segments whatever their entry says (it only orders and sizes their reads), a crashed writer's segment is
 * rebuilt from its documents, and one write fewer per request is ~8% more ingest on the embedded database.
 */
const FLUSH_DELAY_MS = 250;

/** An open segment not written for this long is re-checked before the next write (another process may have sealed it). */
const RECHECK_IDLE_MS = 60_000;

export interface SegmentLayout {
  /** Documents per segment before it is sealed. */
  maxDocs: number;
  /** Age after which an open segment is sealed even if not full (so time ranges stay tight). */
  maxAgeMs: number;
  /** Upper bound of each Bloom filter. */
  bloomMaxBytes: number;
  /** Secondary indexes of list collections; none on FerretDB, which never reads through them. */
  indexes: IndexDescription[];
  /**
   * On FerretDB: pack sealed segments' list documents into one document each (see segment-packs.ts) and keep
   * Bloom filters of their log ids in the catalog.
   */
  pack: boolean;
  /** On FerretDB: segments' collections go to databases of their own (segment-databases.ts); else the main one. */
  segmentDatabases: boolean;
  /** Keep each open segment's list documents and bodies in memory for reads (small embedded segments only). */
  keepOpenRows: boolean;
  /**
   * Store each write's list documents as one batch document (segment-lists.ts). Needs the kept rows: a log
   * retried into its segment is recognised by them, where a document per log has its unique _id.
   */
  batchLists: boolean;
}

interface OpenSegment {
  entry: SegmentEntry;
  stats: SegmentStats;
  /** Documents promised to writes, including those in flight. */
  reserved: number;
  inflight: number;
  lastWrite: number;
  /** Serialises catalog writes, so an older snapshot never lands after a newer one. */
  flush: Promise<void>;
  dirty: boolean;
  /** The next catalog write, when one is scheduled. */
  flushTimer?: NodeJS.Timeout;
  sealing?: Promise<void>;
  /**
   * The segment's list documents, as stored, with their ids and body batches (compressed, as stored: the bodies'
   * text would stay on the heap until sealing, each log's few KB promoted and collected as old objects):
   * reads in this process need not scan its collections, and a copy found already stored is counted once (a
   * retry after a failed insert). Only when the layout keeps open rows.
   */
  kept?: { rows: ListDoc[]; texts: string[]; seen: Set<string>; batches: Map<string, BodyBatchDoc> };
}

/** The id filter a sealed entry carries, when the layout keeps one. */
const idsOf = (stats: SegmentStats) => (stats.ids ? new Binary(stats.ids.bits) : undefined);

/** Time-ordered segment ids: creation time in base 36 (fixed width) plus randomness. */
export function newSegmentId(now = Date.now()): string {
  return `${now.toString(36).padStart(9, '0')}${randomBytes(4).toString('hex')}`;
}

const onlyDuplicates = (err: unknown) =>
  err instanceof MongoBulkWriteError && Array.isArray(err.writeErrors) && err.writeErrors.length > 0 && err.writeErrors.every((e) => e.code === DUPLICATE_KEY);

/** Inserts keeping the first copy of any _id already present; returns the indexes that were duplicates. */
async function insertKeepingFirst(collection: Collection, docs: object[]): Promise<Set<number>> {
  if (docs.length === 0) return new Set();
  try {
    await collection.insertMany(docs as never[], { ordered: false });
    return new Set();
  } catch (err) {
    if (!onlyDuplicates(err)) throw translateDriverError(err);
    return new Set(([] as { index: number }[]).concat((err as MongoBulkWriteError).writeErrors as never).map((e) => e.index));
  }
}

/**
 * Appends logs to this process's open segment of each workspace. Only the process that opened a segment
 * writes to it and seals it, so its stats (kept in memory, flushed to the catalog shortly after writes) cover
 * every document, and the Bloom filters written at sealing are complete. Each log id is first claimed in
 * `log_ids` (unique _id): a retry of a stored log is recognised whichever segment holds it.
 */
export class SegmentWriter {
  readonly writerId = newSegmentId();
  private readonly open = new Map<string, OpenSegment>();
  /** Every segment this process opened and has not finished sealing, by segment id. */
  private readonly mine = new Map<string, OpenSegment>();
  private readonly opening = new Map<string, Promise<OpenSegment>>();
  /** The segment database this process opens segments in, when the layout uses them. */
  private database?: { key: string; openedAt: number; segments: number };

  constructor(
    private readonly db: Db,
    private readonly catalog: SegmentCatalog,
    private readonly layout: SegmentLayout,
  ) {}

  /** Returns the ids stored by this call (retries of logs already stored are left out). */
  async append(docs: LogDoc[]): Promise<Set<string>> {
    const stored = new Set<string>();
    const byWorkspace = new Map<string, LogDoc[]>();
    for (const d of docs) {
      const list = byWorkspace.get(d.workspace_id);
      if (list) list.push(d);
      else byWorkspace.set(d.workspace_id, [d]);
    }
    await Promise.all([...byWorkspace].map(([ws, list]) => this.appendToWorkspace(ws, list, stored)));
    return stored;
  }

  private async appendToWorkspace(workspaceId: string, docs: LogDoc[], stored: Set<string>): Promise<void> {
    // A batch larger than the room left is split across segments, so segments stay near their bound.
    for (let at = 0; at < docs.length; ) {
      const seg = await this.segmentFor(workspaceId);
      const take = Math.max(1, Math.min(docs.length - at, this.layout.maxDocs - seg.reserved));
      this.hold(seg, take);
      try {
        await this.write(seg, docs.slice(at, at + take), stored);
      } finally {
        await this.release(seg);
      }
      at += take;
    }
  }

  /** A write promised to a segment: it is not sealed before the write is released. */
  private hold(seg: OpenSegment, docs: number): void {
    seg.reserved += docs;
    seg.inflight++;
  }

  /**
   * The last write out of a full segment seals it. A seal that fails does not fail that write, whose logs are
   * stored: its retry would find them stored and report none as new, so they would never reach the rollups. The
   * segment is left to the abandoned-segment sweep, which seals it from its documents.
   */
  private async release(seg: OpenSegment): Promise<void> {
    seg.inflight--;
    seg.lastWrite = Date.now();
    if (this.isFull(seg) && seg.inflight === 0) await this.seal(seg).catch(() => undefined);
  }

  /** A segment open here that still takes writes (its stats, hence its seal, will cover them). */
  private writable(segmentId: string): OpenSegment | undefined {
    const seg = this.mine.get(segmentId);
    return seg && !seg.sealing ? seg : undefined;
  }

  private isFull(seg: OpenSegment): boolean {
    return seg.reserved >= this.layout.maxDocs || Date.now() - seg.entry.opened_at.getTime() > this.layout.maxAgeMs;
  }

  private async write(seg: OpenSegment, docs: LogDoc[], stored: Set<string>): Promise<void> {
    const segmentId = seg.entry._id;
    // With id filters in the catalog (the embedded layout), only client ids are claimed: an id the server
    // generated is never sent again, and lookups by id find the segment through the filters. That spares the
    // database a third document per log. MongoDB finds every log through its claim.
    const claimed = this.layout.pack ? docs.filter((d) => d.client_id !== undefined) : docs;
    const dupeIndexes = await insertKeepingFirst(
      this.db.collection(LOG_IDS),
      claimed.map((d) => ({ _id: d._id, s: segmentId })),
    );
    if (dupeIndexes.size === 0) return this.writeDocs(seg, docs, stored);
    const dupes = new Set([...dupeIndexes].map((i) => claimed[i]!._id));
    const mine = docs.filter((d) => !dupes.has(d._id));
    const { here, held } = await this.placeRetries(
      seg,
      docs.filter((d) => dupes.has(d._id)),
    );
    mine.push(...here);
    const writes = [
      this.writeDocs(seg, mine, stored),
      ...[...held].map(([other, list]) => this.writeDocs(other, list, stored).finally(() => this.release(other))),
    ];
    const failed = (await Promise.allSettled(writes)).find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /**
   * Logs whose id is already claimed: usually retries of stored logs (skipped). A log is written only into a
   * segment this process holds open, so that segment's stats and Bloom filters, computed here at sealing,
   * cover it: the claimed segment if it is open here (its unique _id keeps one copy even when the first
   * attempt is still in flight; the write is held, so it is not sealed meanwhile), else the current one.
   * A claim pointing at a segment that is sealed, sealing, gone or open in another process is moved here
   * unless that segment already holds the log (the first attempt failed between claim and write, e.g. a
   * database crash). `held` writes must each be released.
   */
  private async placeRetries(seg: OpenSegment, docs: LogDoc[]): Promise<{ here: LogDoc[]; held: Map<OpenSegment, LogDoc[]> }> {
    const ids = this.db.collection<{ _id: string; s: string }>(LOG_IDS);
    const here: LogDoc[] = [];
    const held = new Map<OpenSegment, LogDoc[]>();
    const known = new Map(this.catalog.cached().map((e) => [e._id, e]));
    const decisions = docs.map(async (d) => {
      const claim = await ids.findOne({ _id: d._id });
      if (!claim) {
        // Dropped meanwhile (retention): claim again, here.
        await ids.updateOne({ _id: d._id }, { $setOnInsert: { s: seg.entry._id } }, { upsert: true });
        return here.push(d);
      }
      if (claim.s === seg.entry._id) return here.push(d);
      const other = this.writable(claim.s);
      if (other) {
        // Held synchronously with the decision, so the segment cannot start sealing before the write.
        const list = held.get(other);
        if (list) {
          list.push(d);
          other.reserved++;
        } else {
          held.set(other, [d]);
          this.hold(other, 1);
        }
        return;
      }
      if (await this.holds(claim.s, known.has(claim.s) || this.mine.has(claim.s), d._id)) return;
      const moved = await ids.updateOne({ _id: d._id, s: claim.s }, { $set: { s: seg.entry._id } });
      // Moved by another process meanwhile: that process writes it.
      if (moved.modifiedCount === 1) here.push(d);
    });
    const outcome = await Promise.allSettled(decisions);
    const failed = outcome.find((r) => r.status === 'rejected');
    if (failed) {
      await Promise.all([...held.keys()].map((other) => this.release(other)));
      throw failed.reason;
    }
    return { here, held };
  }

  /** Whether a segment's list collection has the log (a segment the catalog does not know is gone). */
  private async holds(segmentId: string, known: boolean, logId: string): Promise<boolean> {
    if (!known) return false;
    return (await readCollection(this.db, segmentId, { _id: logId }, { limit: 1 }, this.layout.pack)).length > 0;
  }

  /**
   * Bodies first (in batches, see segment-bodies.ts): a list document that a reader can see always has its
   * body. Then the segment's stats and catalog entry: at once in this process's cache, and in the database
   * within FLUSH_DELAY_MS. `stored` gets the logs whose list document this call inserted.
   */
  private async writeDocs(seg: OpenSegment, docs: LogDoc[], stored: Set<string>): Promise<void> {
    const kept = seg.kept;
    // Logs this segment already holds (a retry, or an id twice in a batch) are not written again.
    const fresh = kept ? docs.filter((d) => !kept.seen.has(d._id)) : docs;
    if (fresh.length === 0) return;
    const lists: ListDoc[] = [];
    const bodies: BodyDoc[] = [];
    for (const d of fresh) {
      const { list, body } = splitLogDoc(d);
      lists.push(list);
      bodies.push(body);
    }
    const segmentId = seg.entry._id;
    const batches = await batchBodies(lists, bodies);
    await insertKeepingFirst(bodiesOf(this.db, segmentId), batches);
    const listCol = listOf(this.db, segmentId);
    // Indexes of list documents already stored (a batch's random id never collides: none then).
    let present = new Set<number>();
    // Each row is encoded once: its batch now, its pack chunk at sealing (segment-rows.ts).
    const texts = this.layout.batchLists ? lists.map(rowText) : [];
    if (this.layout.batchLists) await insertKeepingFirst(listCol, await packLists(lists, texts));
    else present = await insertKeepingFirst(listCol, lists);
    // A copy already present was counted when its write succeeded here; one stored by a write that then
    // failed (a lost acknowledgement, a crash) is counted now. Without kept rows, a copy already present is
    // taken as counted.
    lists.forEach((d, i) => {
      if (kept ? kept.seen.has(d._id) : present.has(i)) return;
      if (kept) {
        kept.seen.add(d._id);
        kept.rows.push(d);
        kept.texts.push(texts[i] ?? rowText(d));
      }
      seg.stats.add(d);
      if (!present.has(i)) stored.add(d._id);
    });
    if (kept) for (const b of batches) kept.batches.set(b._id, b);
    seg.dirty = true;
    // Newer than the copy in the database until the flush: the catalog's refresh keeps this one meanwhile.
    seg.entry = { ...seg.entry, ...seg.stats.fields(), updated_at: new Date() };
    this.catalog.putLocal(seg.entry);
    seg.flushTimer ??= setTimeout(() => {
      seg.flushTimer = undefined;
      // A failed write leaves the entry dirty for the next one; sealing writes the whole entry anyway.
      seg.flush = seg.flush.then(() => this.flushEntry(seg)).catch(() => void (seg.dirty = true));
    }, FLUSH_DELAY_MS).unref();
  }

  private async flushEntry(seg: OpenSegment): Promise<void> {
    if (!seg.dirty) return;
    seg.dirty = false;
    const fields = { ...seg.stats.fields(), updated_at: new Date() };
    seg.entry = { ...seg.entry, ...fields };
    this.catalog.putLocal(seg.entry);
    await this.catalog.open.updateOne({ _id: seg.entry._id }, { $set: fields });
  }

  private async segmentFor(workspaceId: string): Promise<OpenSegment> {
    for (;;) {
      const seg = this.open.get(workspaceId);
      if (seg && !this.isFull(seg)) {
        if (Date.now() - seg.lastWrite < RECHECK_IDLE_MS) return seg;
        // Idle for a while: another process may have sealed it as abandoned.
        const stored = await this.catalog.open.findOne({ _id: seg.entry._id });
        if (stored?.writer === this.writerId) {
          seg.lastWrite = Date.now();
          return seg;
        }
        this.open.delete(workspaceId);
        continue;
      }
      if (seg && seg.inflight === 0) await this.seal(seg);
      else if (seg) this.open.delete(workspaceId); // the last write in flight seals it
      let pending = this.opening.get(workspaceId);
      if (!pending) {
        pending = this.openSegment(workspaceId).finally(() => this.opening.delete(workspaceId));
        this.opening.set(workspaceId, pending);
      }
      const opened = await pending;
      if (!this.isFull(opened)) return opened;
    }
  }

  /** A new segment's id, naming the database its collections go to (a new one when the current is full or old). */
  private newSegmentId(now: number): string {
    if (!this.layout.segmentDatabases) return newSegmentId(now);
    let d = this.database;
    if (!d || d.segments >= SEGMENTS_PER_DATABASE || now - d.openedAt >= DATABASE_MAX_AGE_MS) {
      d = this.database = { key: databaseKey(now), openedAt: now, segments: 0 };
    }
    d.segments++;
    return segmentIdIn(newSegmentId(now), d.key);
  }

  private async openSegment(workspaceId: string): Promise<OpenSegment> {
    const now = new Date();
    const entry: SegmentEntry = {
      _id: this.newSegmentId(now.getTime()),
      workspace_id: workspaceId,
      sealed: false,
      writer: this.writerId,
      count: 0,
      created_min: null,
      created_max: null,
      models: [],
      providers: [],
      status_codes: [],
      opened_at: now,
      updated_at: now,
    };
    if (this.layout.indexes.length) {
      const list = listOf(this.db, entry._id);
      // One at a time: FerretDB 1.24 panics on some multi-index createIndexes calls.
      for (const index of this.layout.indexes) await list.createIndexes([index]);
    }
    // The entry goes in after the collections exist, so readers never meet a segment without its indexes.
    await this.catalog.open.insertOne(entry);
    this.catalog.putLocal(entry);
    const seg: OpenSegment = {
      entry,
      stats: new SegmentStats(this.layout.maxDocs, this.layout.bloomMaxBytes, undefined, this.layout.pack),
      reserved: 0,
      inflight: 0,
      lastWrite: Date.now(),
      flush: Promise.resolve(),
      dirty: false,
      kept: this.layout.keepOpenRows ? { rows: [], texts: [], seen: new Set(), batches: new Map() } : undefined,
    };
    this.open.set(workspaceId, seg);
    this.mine.set(entry._id, seg);
    return seg;
  }

  /** Final stats and Bloom filters, then the sealed flag: a reader trusts the filters only of a sealed segment. */
  private seal(seg: OpenSegment): Promise<void> {
    seg.sealing ??= (async () => {
      if (this.open.get(seg.entry.workspace_id) === seg) this.open.delete(seg.entry.workspace_id);
      clearTimeout(seg.flushTimer);
      await seg.flush;
      // The rows kept in memory are exactly what the list collection holds: no need to read it back. Bodies
      // are not packed again: their batches already cost an export a few documents per segment.
      const pack = this.layout.pack && (await writePack(this.db, seg.entry._id, seg.kept?.rows, seg.kept?.texts));
      seg.entry = {
        ...seg.entry,
        ...seg.stats.fields(),
        sealed: true,
        ...packFields(pack),
        ids: idsOf(seg.stats),
        updated_at: new Date(),
      };
      try {
        await this.catalog.publishSealed(seg.entry, seg.stats.traces, seg.stats.metadata);
      } finally {
        // If sealing failed, the segment is left to the abandoned-segment sweep, which rebuilds it from its documents.
        this.mine.delete(seg.entry._id);
      }
    })();
    return seg.sealing;
  }

  /** Seals what this process has open (shutdown); the next process opens new segments. */
  async sealAll(): Promise<void> {
    await Promise.all([...this.open.values()].filter((s) => s.inflight === 0).map((s) => this.seal(s)));
  }

  /** The list documents of a segment open (or being sealed) in this process; undefined for others. */
  localRows(segmentId: string): ListDoc[] | undefined {
    return this.mine.get(segmentId)?.kept?.rows;
  }

  /** The body batches of a segment open (or being sealed) in this process, by batch id. */
  localBatches(segmentId: string): Map<string, BodyBatchDoc> | undefined {
    return this.mine.get(segmentId)?.kept?.batches;
  }

  /** Retention removed a segment's documents older than `cutoff`: forget them here too. */
  forgetOlder(segmentId: string, cutoff: Date): void {
    const kept = this.mine.get(segmentId)?.kept;
    if (!kept) return;
    kept.texts = kept.texts.filter((_, i) => kept.rows[i]!.created_at >= cutoff);
    kept.rows = kept.rows.filter((d) => d.created_at >= cutoff);
  }

  /** Whether a segment is open in this process (its entry is exact here). */
  isOpenHere(segmentId: string): boolean {
    return this.mine.has(segmentId);
  }
}

/**
 * Seals a segment whose writer went away (a restart, a crash): its stats and Bloom filters are rebuilt from
 * its documents. Guarded by updated_at, so a writer that is in fact still active wins.
 */
export async function sealAbandoned(db: Db, catalog: SegmentCatalog, entry: SegmentEntry, layout: SegmentLayout): Promise<void> {
  // Claim it first: only one process rebuilds it, and a writer that is in fact still active keeps it (its
  // next write after an idle minute re-reads the entry and moves on to a new segment).
  const claimed = await catalog.open.updateOne({ _id: entry._id, updated_at: entry.updated_at }, { $set: { writer: 'sealing', updated_at: new Date() } });
  if (claimed.modifiedCount !== 1) return;
  const docs = await readAllLists(listOf<ListHolder>(db, entry._id));
  const stats = new SegmentStats(Math.max(docs.length, layout.maxDocs), layout.bloomMaxBytes, undefined, layout.pack);
  for (const d of docs) stats.add(d);
  const pack = layout.pack && (await writePack(db, entry._id, docs));
  await catalog.publishSealed(
    { ...entry, ...stats.fields(), writer: 'sealing', sealed: true, ...packFields(pack), ids: idsOf(stats), updated_at: new Date() },
    stats.traces,
    stats.metadata,
  );
}
