import type { Db, Document, Filter } from 'mongodb';
import type { LogFilter } from '../../domain/logs/log-filter.js';
import type { LogCursor, LogPageBounds, LogRecord, LogRepository } from '../../domain/logs/log-model.js';
import { withSpan } from '../../telemetry.js';
import { translateDriverError } from './driver-errors.js';
import { fromLogDoc, type LogDoc, toLogDoc } from './log-document.js';
import { NEWEST_FIRST, olderThan, toMongoFilter } from './log-filter-query.js';
import { bodiesOf, LOG_IDS, listOf, SegmentCatalog, type SegmentEntry } from './segments/catalog.js';
import { type BodyHolder, bodiesIn, bodyHolderOf, removeBodies } from './segments/segment-bodies.js';
import { joinLogDoc } from './segments/segment-docs.js';
import { ReadPriority } from './segments/read-priority.js';
import { removeLists } from './segments/segment-lists.js';
import { dropEmptySegmentDatabases } from './segments/segment-databases.js';
import { segmentLayout, type SegmentLayoutOptions } from './segments/segment-indexes.js';
import { dropBodyPacks, dropPack, packFields, writePack } from './segments/segment-packs.js';
import { candidates, type Located, matchesWhole, newerFirst, readCollection, SegmentReader, withBodies } from './segments/segment-reads.js';
import { sealAbandoned, type SegmentLayout, SegmentWriter } from './segments/segment-writer.js';

const DB_ATTRS = { 'db.system': 'mongodb', 'db.collection.name': 'logs' };
/** An open segment whose writer has not written for this long is sealed by whichever process notices. */
const ABANDONED_MS = 10 * 60_000;
/** A count over budget is deferred only when at least this many segments remain to be counted. */
const MIN_DEFERRED_SEGMENTS = 4;
/** Segments a stream may read through the pack caches (more: it reads around them, see PackCache.rows). */
const MAX_CACHED_WALK = 8;
/** Counts of sealed segments per query kept (~200 bytes each). */
const MAX_CACHED_COUNTS = 200_000;
/** Segments a lookup by id reads at once before it asks the id index instead. */
const MAX_ID_CANDIDATES = 16;
/** Overlapping segments an export merges at once before it falls back to reading them one by one. */
const MAX_MERGE = 64;

/** What other storage code (browse queries) needs of the segmented layout. */
export interface SegmentStore {
  db: Db;
  reader: SegmentReader;
  segmentsFor(workspaceId: string, filter: LogFilter, before?: Date): Promise<SegmentEntry[]>;
  pageNewestFirst(
    workspaceId: string,
    filter: LogFilter,
    first: number,
    after?: LogCursor,
    extra?: Document[],
  ): Promise<{ rows: Located[]; segs: SegmentEntry[] }>;
  withBodies(rows: Located[], segs: SegmentEntry[]): Promise<LogDoc[]>;
  /** Interactive reads go before background counts (read-priority.ts). */
  priority: ReadPriority;
}

export interface LogRepositoryOptions extends SegmentLayoutOptions {
  /** How stale this process's view of segments opened elsewhere may be. */
  catalogMaxAgeMs?: number;
}

/**
 * Logs in bounded segments (see segments/catalog.ts): every read opens only the segments that may hold
 * what it returns, so its cost follows the answer, not the store. Behaviour is that of the domain's
 * LogRepository contract; only the layout differs.
 */
export function createLogRepository(db: Db, opts: LogRepositoryOptions = {}): LogRepository & { close(): Promise<void>; store: SegmentStore } {
  const catalog = new SegmentCatalog(db, opts.catalogMaxAgeMs);
  // The writer exists once the layout is known; until then no segment is open here.
  const reader = new SegmentReader(
    db,
    (id) => writer?.localRows(id),
    () => layout.pack,
  );
  const localBatches = (id: string) => writer?.localBatches(id);
  let layout!: SegmentLayout;
  let writer!: SegmentWriter;
  const ready = segmentLayout(db, opts).then((l) => {
    layout = l;
    writer = new SegmentWriter(db, catalog, l);
  });
  /** Counts of sealed segments per query: they never change (until retention trims one, which clears this). */
  const sealedCounts = new Map<string, number>();
  let lastAbandonedCheck = 0;

  const byId = (segs: SegmentEntry[]) => new Map(segs.map((e) => [e._id, e]));
  const priority = new ReadPriority();
  /** A traced read that goes before background work. */
  const interactive = <T>(name: string, read: () => Promise<T>) => withSpan(name, DB_ATTRS, () => priority.interactive(read));

  /** Seals segments left open by processes that went away (in the background, at most every minute). */
  function sealAbandonedSoon(): void {
    if (Date.now() - lastAbandonedCheck < 60_000) return;
    lastAbandonedCheck = Date.now();
    const stale = catalog.cached().filter((e) => !e.sealed && !writer.isOpenHere(e._id) && Date.now() - e.updated_at.getTime() > ABANDONED_MS);
    void (async () => {
      for (const e of stale) await sealAbandoned(db, catalog, e, layout).catch(() => undefined);
    })();
  }

  async function segmentsFor(workspaceId: string, filter: LogFilter, before?: Date): Promise<SegmentEntry[]> {
    await ready;
    const segs = await candidates(catalog, workspaceId, filter, before);
    sealAbandonedSoon();
    return segs;
  }

  /** A segment's count for a query; `background`: in small steps, interactive reads going first. */
  async function countIn(e: SegmentEntry, filter: LogFilter, q: Filter<LogDoc>, background = false): Promise<number> {
    if (matchesWhole(e, filter)) return e.count;
    const key = `${e._id}|${JSON.stringify(q)}`;
    const cached = sealedCounts.get(key);
    if (cached !== undefined) return cached;
    const n = background ? await reader.countInSteps(e, q, () => priority.turn()) : await reader.count(e, q);
    if (e.sealed) {
      // Bounded (a key per segment and query): the oldest entries go first, as Map keeps insertion order.
      if (sealedCounts.size >= MAX_CACHED_COUNTS) for (const k of [...sealedCounts.keys()].slice(0, MAX_CACHED_COUNTS / 10)) sealedCounts.delete(k);
      sealedCounts.set(key, n);
    }
    return n;
  }

  /** Counts that took longer than a request may wait, finishing in the background (one per query). */
  const backgroundCounts = new Map<string, Promise<number>>();

  const countKnown = (e: SegmentEntry, filter: LogFilter, q: Filter<LogDoc>) => matchesWhole(e, filter) || sealedCounts.has(`${e._id}|${JSON.stringify(q)}`);

  async function countAll(segs: SegmentEntry[], filter: LogFilter, q: Filter<LogDoc>, want: number): Promise<number> {
    let total = 0;
    for (const e of segs) {
      total += await countIn(e, filter, q, true);
      if (total >= want) break;
    }
    return total;
  }

  /**
   * The first `first` list documents newest first (strictly after `after`) matching the filter and `extra`
   * conditions. Segments come newest created_max first: once one ends before the page's last row, none can add.
   */
  async function pageNewestFirst(
    workspaceId: string,
    filter: LogFilter,
    first: number,
    after?: LogCursor,
    extra: Document[] = [],
  ): Promise<{ rows: Located[]; segs: SegmentEntry[] }> {
    const q: Document = toMongoFilter(filter);
    // Appended with $and so they cannot collide with the filter's own $or (provider/model pairs).
    const and = [...extra, ...(after ? [olderThan(after)] : [])];
    if (and.length) q.$and = [...(q.$and ?? []), ...and];
    const segs = await segmentsFor(workspaceId, filter, after?.createdAt);
    let rows: Located[] = [];
    for (const e of segs) {
      const last = rows[first - 1];
      if (last && e.sealed && e.created_max! < last.doc.created_at) break;
      const got = await reader.read(e, q, { sort: NEWEST_FIRST, limit: first });
      if (got.length === 0) continue;
      rows = [...rows, ...got.map((doc) => ({ doc, segment: e._id }))].sort((a, b) => newerFirst(a.doc, b.doc)).slice(0, first);
    }
    return { rows, segs };
  }

  /** A log from one segment's list and body documents, by exact _id (from memory for a segment open here). */
  async function readOne(segmentId: string, id: string): Promise<LogRecord | undefined> {
    const rows = writer.localRows(segmentId);
    // Else through the reader: a chunk of a sealed segment's pack, or its list collection (read whole where it holds batches).
    const e = catalog.get(segmentId);
    const list = rows
      ? rows.find((d) => d._id === id)
      : e
        ? await reader.row(e, id)
        : (await readCollection(db, segmentId, { _id: id }, { limit: 1 }, layout.pack))[0];
    if (!list) return undefined;
    const holderId = bodyHolderOf(list);
    const holder = writer.localBatches(segmentId)?.get(holderId) ?? (await bodiesOf<BodyHolder>(db, segmentId).findOne({ _id: holderId }));
    return fromLogDoc(joinLogDoc(list, holder ? bodiesIn(holder).find((b) => b._id === id) : undefined));
  }

  /** A log from the segments that may hold it: open ones and sealed ones whose id filter says so. */
  async function findInSegments(id: string): Promise<LogRecord | undefined> {
    const segs = (await catalog.everything()).filter((e) => !e.sealed || catalog.mayHoldId(e, id));
    // Segments sealed before id filters existed match every id: the id index is then cheaper.
    if (segs.length > MAX_ID_CANDIDATES) return undefined;
    return (await Promise.all(segs.map((e) => readOne(e._id, id)))).find((r) => r !== undefined);
  }

  const store: SegmentStore = {
    db,
    reader,
    segmentsFor,
    pageNewestFirst,
    withBodies: (rows, segs) => withBodies(db, rows, byId(segs), localBatches),
    priority,
  };

  return {
    insertMany: (records) =>
      withSpan('db logs.insertMany', { ...DB_ATTRS, 'db.operation.batch.size': records.length }, async () => {
        await ready;
        try {
          const stored = await writer.append(records.map(toLogDoc));
          return records.filter((r) => stored.has(r.id));
        } catch (err) {
          // Catalog writes too: an unreachable database is a retryable 503, whichever write found out.
          throw translateDriverError(err);
        }
      }),

    findById: (id) =>
      interactive('db logs.findOne', async () => {
        await ready;
        // On the embedded database log_ids is read by a table scan (its _id index is not used for reads), so
        // the catalog's id filters pick the segment; the id index answers when they cannot (or miss).
        const viaCatalog = layout.pack ? await findInSegments(id) : undefined;
        if (viaCatalog) return viaCatalog;
        const claim = await db.collection<{ _id: string; s: string }>(LOG_IDS).findOne({ _id: id });
        return claim && ((await readOne(claim.s, id)) ?? null);
      }),

    findByTrace: (workspaceId, traceId, limit) =>
      interactive('db logs.find trace', async () => {
        const segs = await segmentsFor(workspaceId, { traceId: [traceId] });
        const found: Located[] = [];
        for (const e of segs) {
          for (const doc of await reader.read(e, { trace_id: traceId }, { sort: { created_at: 1, _id: 1 }, limit })) found.push({ doc, segment: e._id });
        }
        const spans = found.sort((a, b) => -newerFirst(a.doc, b.doc)).slice(0, limit);
        return (await withBodies(db, spans, byId(segs), localBatches)).map(fromLogDoc);
      }),

    deleteCreatedBefore: async (cutoff) => {
      await ready;
      let deleted = 0;
      for (const e of await catalog.all()) {
        if (!e.created_min || e.created_min >= cutoff) continue;
        if (e.sealed && e.created_max && e.created_max < cutoff) {
          deleted += await dropSegment(db, catalog, e, layout.pack);
          continue;
        }
        deleted += await deleteOlderIn(db, catalog, e, cutoff, writer.isOpenHere(e._id), layout.pack);
        writer.forgetOlder(e._id, cutoff);
      }
      sealedCounts.clear();
      // Files whose segments are all gone go back to the system (read fresh: other processes open segments too).
      if (layout.segmentDatabases)
        await dropEmptySegmentDatabases(
          db,
          (await catalog.all()).map((e) => e._id),
        );
      return deleted;
    },

    countMatching: (workspaceId, filter, page = {}, opts = {}) =>
      interactive('db logs.count filtered', async () => {
        if (page.limit === 0) return 0;
        const q = toMongoFilter(filter);
        const offset = page.offset ?? 0;
        const want = page.limit ? offset + page.limit : Infinity;
        const bounded = (total: number) => Math.max(0, Math.min(total - offset, page.limit ?? Infinity));
        const segs = await segmentsFor(workspaceId, filter);
        const deadline = opts.budgetMs === undefined ? Infinity : performance.now() + opts.budgetMs;
        let total = 0;
        // Newest first, stopping once the page is covered: a bounded count reads no more than it needs.
        for (const [i, e] of segs.entries()) {
          // A remainder of a few segments is counted at once (well under a second): small stores keep exact totals.
          if (performance.now() > deadline && segs.length - i > MIN_DEFERRED_SEGMENTS && !countKnown(e, filter, q)) {
            const key = `${workspaceId}|${JSON.stringify(q)}|${want}`;
            let finish = backgroundCounts.get(key);
            if (!finish) {
              finish = countAll(segs, filter, q, want).finally(() => backgroundCounts.delete(key));
              backgroundCounts.set(key, finish);
            }
            finish.then((n) => opts.onExact?.(bounded(n))).catch(() => undefined);
            return bounded(total);
          }
          total += await countIn(e, filter, q);
          if (total >= want) break;
        }
        return bounded(total);
      }),

    streamMatching: (workspaceId, filter, page, o) => streamMatching(workspaceId, filter, page, o?.withoutHeaders ?? false),

    listMatching: (workspaceId, filter, { first, after }) =>
      interactive('db logs.find page', async () => {
        if (first <= 0) return [];
        const { rows, segs } = await pageNewestFirst(workspaceId, filter, first, after);
        return (await withBodies(db, rows, byId(segs), localBatches)).map(fromLogDoc);
      }),

    store,
    close: async () => {
      await ready;
      await writer.sealAll();
    },
  };

  /**
   * Matching logs newest first, one group of time-overlapping segments at a time: each segment of the group
   * is read in one batch (list documents only), merged, and joined with its bodies; memory holds one group.
   */
  async function* streamMatching(workspaceId: string, filter: LogFilter, page: LogPageBounds, withoutHeaders: boolean): AsyncGenerator<LogRecord> {
    if (page.limit === 0) return;
    const q = toMongoFilter(filter);
    let skip = page.offset ?? 0;
    let left = page.limit ?? Infinity;
    const segs = await segmentsFor(workspaceId, filter);
    const entries = byId(segs);
    // A walk over many segments (an export) leaves the pack caches to interactive reads; a short one (the
    // seconds at the edges of an analytics range) uses them like any read.
    const once = segs.length > MAX_CACHED_WALK;
    for (const group of overlappingGroups(segs)) {
      // A group whose whole count is to be skipped is not read at all (paged exports).
      if (group.every((e) => matchesWhole(e, filter)) && skip >= group.reduce((n, e) => n + e.count, 0)) {
        skip -= group.reduce((n, e) => n + e.count, 0);
        continue;
      }
      const rows: Located[] = [];
      for (const e of group) for (const doc of await reader.read(e, q, { once })) rows.push({ doc, segment: e._id });
      rows.sort((a, b) => newerFirst(a.doc, b.doc));
      const take = rows.slice(Math.min(skip, rows.length), Math.min(rows.length, skip + left));
      skip = Math.max(0, skip - rows.length);
      // Bodies in slices, so a big group is never held twice over; read from the database (one batch per
      // segment), not from the writer's copy: an export reports what is stored.
      for (let i = 0; i < take.length; i += 2000) {
        for (const doc of await withBodies(db, take.slice(i, i + 2000), entries)) {
          const r = fromLogDoc(withoutHeaders ? { ...doc, request_headers: '', response_headers: '' } : doc);
          yield r;
        }
      }
      left -= take.length;
      if (left <= 0) return;
    }
  }
}

/**
 * Consecutive segments (newest created_max first) whose time ranges overlap: rows of one group can interleave
 * in newest-first order, rows of different groups cannot. Open segments overlap everything newer than their
 * minimum. Very large groups are cut (order is then kept within each part only; happens only when logs
 * arrive wildly out of time order).
 */
function overlappingGroups(segs: SegmentEntry[]): SegmentEntry[][] {
  const groups: SegmentEntry[][] = [];
  let group: SegmentEntry[] = [];
  let groupMin = Infinity;
  for (const e of segs) {
    const max = e.sealed ? e.created_max!.getTime() : Infinity;
    if (group.length && (max < groupMin || group.length >= MAX_MERGE)) {
      groups.push(group);
      group = [];
      groupMin = Infinity;
    }
    group.push(e);
    // An open segment's minimum may lag its writer's last batch; logs arrive close to time order, so it is used as is.
    groupMin = Math.min(groupMin, e.created_min?.getTime() ?? Infinity);
  }
  if (group.length) groups.push(group);
  return groups;
}

/**
 * Drops a whole segment: catalog entry first (readers stop opening it), then its ids, then its collections.
 * `whole`: the layout reads list collections whole (they may hold batches, segment-lists.ts).
 */
async function dropSegment(db: Db, catalog: SegmentCatalog, e: SegmentEntry, whole: boolean): Promise<number> {
  await catalog.forget(e);
  await dropPack(db, e._id);
  const ids = await readCollection(db, e._id, {}, { projection: {} }, whole);
  await forgetIds(
    db,
    ids.map((d) => d._id),
  );
  await listOf(db, e._id)
    .drop()
    .catch(() => false);
  await bodiesOf(db, e._id)
    .drop()
    .catch(() => false);
  return ids.length;
}

/** Deletes the older part of a segment that straddles the cutoff, and corrects its entry. */
async function deleteOlderIn(db: Db, catalog: SegmentCatalog, e: SegmentEntry, cutoff: Date, openHere: boolean, whole: boolean): Promise<number> {
  const old = await readCollection(db, e._id, { created_at: { $lt: cutoff } }, {}, whole);
  if (old.length === 0) return 0;
  if (whole)
    await removeLists(
      listOf(db, e._id),
      old.map((d) => d._id),
    );
  else await listOf(db, e._id).deleteMany({ created_at: { $lt: cutoff } });
  await removeBodies(bodiesOf(db, e._id), old);
  await forgetIds(
    db,
    old.map((d) => d._id),
  );
  if (e.sealed) {
    const rest = await readCollection(db, e._id, {}, { sort: { created_at: 1 } }, whole);
    // The pack is rewritten before the entry that points readers at it changes (its cache key is updated_at).
    const pack = !!e.packed && (await writePack(db, e._id, rest));
    // Bodies packed at sealing by earlier versions would keep the deleted logs' bodies: dropped, readers use
    // the bodies collection.
    const { body_packs: _dropped, pack: _old, ...kept } = e;
    const updated = {
      ...kept,
      ...packFields(pack),
      count: rest.length,
      created_min: rest[0]?.created_at ?? null,
      created_max: rest.at(-1)?.created_at ?? null,
      updated_at: new Date(),
    };
    await catalog.sealed.replaceOne({ _id: e._id }, updated);
    catalog.putLocal(updated);
    if (e.body_packs) await dropBodyPacks(db, e._id);
  } else if (!openHere) {
    // Another process's open segment: its writer keeps the stats; the count is corrected when it is sealed.
  }
  return old.length;
}

/** Removes id claims one exact _id at a time (the only delete FerretDB does without a scan), in bulk. */
async function forgetIds(db: Db, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 1000) {
    const chunk = ids.slice(i, i + 1000);
    if (chunk.length)
      await db.collection(LOG_IDS).bulkWrite(
        chunk.map((id) => ({ deleteOne: { filter: { _id: id as never } } })),
        { ordered: false },
      );
  }
}
