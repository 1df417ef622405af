import { hash } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import type { Histogram } from '../../domain/analytics/latency-histogram.js';
import { type Cell, LEVELS, parseComboKey, parseUserKey, type RollupStore, type Stats, type UserCell } from '../../domain/analytics/rollup-model.js';
import { COLLECTIONS } from './collections.js';

/**
 * Rollup documents, each read and written by exact `_id` (the only lookup FerretDB serves without decoding the
 * whole collection). Layout, per workspace:
 * - `ws|0|<day ms>|c`, `|l`, `|u`: hour cells of a UTC day: stats, latency histograms and users in three
 *   documents, so a 30-day cost graph decodes 31 small documents and never the histograms;
 * - `ws|1|<hour ms>`: minute cells of an hour (stats, histograms and users together: only the edges of a
 *   range read them).
 * Inside a document: `c.<cell index>.<combo>.{n,e,c,rt,ct,tt,ls,ln}`, `l.<cell index>.<combo>.<bucket>`,
 * `u.<cell index>.<user>.{n,c}`; combos and users are encoded to be safe field names.
 */
interface StatsDoc {
  n?: number;
  e?: number;
  c?: number;
  rt?: number;
  ct?: number;
  tt?: number;
  ls?: number;
  ln?: number;
}
interface RollupDoc {
  _id: string;
  c?: Record<string, Record<string, StatsDoc>>;
  l?: Record<string, Record<string, Record<string, number>>>;
  u?: Record<string, Record<string, { n: number; c: number }>>;
  w?: Record<string, boolean>;
}

type Part = 'c' | 'l' | 'u';
/** The location a cell document id encodes (see docId; the workspace may itself contain `|`). */
function locOf(id: string): Loc | undefined {
  const p = id.split('|');
  if (p.length >= 4 && p.at(-3) === '0' && ['c', 'l', 'u'].includes(p.at(-1)!)) return { ws: p.slice(0, -3).join('|'), level: 0, start: Number(p.at(-2)) };
  if (p.length >= 3 && /^[1-9]$/.test(p.at(-2)!)) return { ws: p.slice(0, -2).join('|'), level: Number(p.at(-2)), start: Number(p.at(-1)) };
  return undefined;
}

/** The time a partition collection covers, from its name (`<prefix>_<level>_<workspace key>_<yyyymm|yyyymmdd>`). */
function partitionSpan(name: string): { start: number; end: number } | undefined {
  const m = /_(\d)_[0-9a-f]{16}_(\d{4})(\d{2})(\d{2})?$/.exec(name);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[2]), Number(m[3]) - 1, m[4] === undefined ? undefined : Number(m[4])];
  return d === undefined ? { start: Date.UTC(y, mo, 1), end: Date.UTC(y, mo + 1, 1) } : { start: Date.UTC(y, mo, d), end: Date.UTC(y, mo, d + 1) };
}

/** Where a cell document belongs: its workspace, level and start time. */
interface Loc {
  ws: string;
  level: number;
  start: number;
}
const docStart = (t: number, span: number) => t - (t % span);
/** Level 0 keeps each part in its own document; finer levels keep them together. */
const docId = (ws: string, level: number, start: number, part: Part) => (level === 0 ? `${ws}|0|${start}|${part}` : `${ws}|${level}|${start}`);
const WORKSPACES_ID = 'workspaces';
/** Exact-_id reads in flight at once for one analytics read (a 30-day range reads ~31-93 documents). */
const PARALLEL_READS = 16;

const toStatsDoc = (s: Stats): StatsDoc => ({ n: s.n, e: s.e, c: s.cost, rt: s.reqTokens, ct: s.resTokens, tt: s.totTokens, ls: s.latSum, ln: s.latN });
const fromStatsDoc = (d: StatsDoc): Stats => ({
  n: d.n ?? 0,
  e: d.e ?? 0,
  cost: d.c ?? 0,
  reqTokens: d.rt ?? 0,
  resTokens: d.ct ?? 0,
  totTokens: d.tt ?? 0,
  latSum: d.ls ?? 0,
  latN: d.ln ?? 0,
});

export interface RollupRepositoryOptions {
  /**
   * Spread documents over small collections (day documents by workspace and month, hour documents by workspace
   * and day). For FerretDB's SQLite backend, which answers even an exact-_id read or upsert by parsing every
   * row of the table: in one collection each upsert cost what a month of rollups weighs (measured ~4-10 s per
   * 1,000-log flush at 20,000-60,000 logs over 30 days). MongoDB reads by _id through its index: one collection.
   */
  partitioned?: boolean;
}

export function createRollupRepository(db: Db, opts: RollupRepositoryOptions = {}): RollupStore {
  const col: Collection<RollupDoc> = db.collection(COLLECTIONS.analyticsRollups);
  const knownWorkspaces = new Set<string>();
  const wsKeys = new Map<string, string>();

  /** The collection that holds a rollup document (the workspaces document: undefined location). */
  function collectionOf(loc: Loc | undefined): Collection<RollupDoc> {
    if (!opts.partitioned || !loc) return col;
    const { ws, level, start } = loc;
    let key = wsKeys.get(ws);
    if (key === undefined) wsKeys.set(ws, (key = hash('sha256', ws, 'hex').slice(0, 16)));
    const day = new Date(start).toISOString();
    const bucket = level === 0 ? day.slice(0, 7).replace('-', '') : day.slice(0, 10).replaceAll('-', '');
    return db.collection(`${COLLECTIONS.analyticsRollups}_${level}_${key}_${bucket}`);
  }

  /** Document ids grouped by the collection that holds them. */
  function byCollection(docs: Iterable<[string, Loc | undefined]>): Map<Collection<RollupDoc>, string[]> {
    const groups = new Map<string, { c: Collection<RollupDoc>; ids: string[] }>();
    for (const [id, loc] of docs) {
      const c = collectionOf(loc);
      const g = groups.get(c.collectionName);
      if (g) g.ids.push(id);
      else groups.set(c.collectionName, { c, ids: [id] });
    }
    return new Map([...groups.values()].map((g) => [g.c, g.ids]));
  }

  /**
   * Cell documents written to the single collection by an earlier version are moved to their partition once
   * (every call waits for it; a failure is retried on the next call).
   */
  let moved: Promise<void> | undefined;
  const ready = () => {
    if (!opts.partitioned) return Promise.resolve();
    moved ??= moveUnpartitioned().catch((err) => {
      moved = undefined;
      throw err;
    });
    return moved;
  };
  async function moveUnpartitioned(): Promise<void> {
    const old = await col.find({ _id: { $ne: WORKSPACES_ID } }, { batchSize: 100_000 }).toArray();
    for (const d of old) {
      const loc = locOf(d._id);
      if (!loc) continue;
      const { _id, ...fields } = d;
      // Idempotent: a move interrupted between the two writes is redone from the old copy.
      await collectionOf(loc).replaceOne({ _id }, fields, { upsert: true });
      await col.deleteOne({ _id });
    }
  }

  /**
   * MongoDB: one `$in` read per collection, an _id index range. Partitioned (FerretDB): one exact-_id read per
   * document, the only read FerretDB does not answer by decoding the whole collection; an `$in` over two day
   * documents decoded the month's partition, histograms and users included (a 30-day graph at 1,000,000 logs:
   * ~430 ms).
   */
  async function fetch(docs: Map<string, Loc>): Promise<Map<string, RollupDoc>> {
    const groups = [...byCollection(docs)];
    if (!opts.partitioned) {
      const found = await Promise.all(groups.map(([c, list]) => c.find({ _id: { $in: list } }).toArray()));
      return new Map(found.flat().map((d) => [d._id, d]));
    }
    const reads = groups.flatMap(([c, list]) => list.map((id) => () => c.findOne({ _id: id })));
    const out = new Map<string, RollupDoc>();
    for (let i = 0; i < reads.length; i += PARALLEL_READS) {
      for (const d of await Promise.all(reads.slice(i, i + PARALLEL_READS).map((read) => read()))) if (d) out.set(d._id, d);
    }
    return out;
  }

  return {
    async apply(delta) {
      await ready();
      const updates = new Map<string, { loc?: Loc; $inc: Record<string, number>; $set: Record<string, unknown> }>();
      const update = (id: string, loc?: Loc) => {
        let u = updates.get(id);
        if (!u) updates.set(id, (u = { loc, $inc: {}, $set: {} }));
        return u;
      };
      // The delta's entries each collection's write stores, removed from the delta once it has (see RollupStore.apply).
      const entries = new Map<string, { cells: string[]; users: string[] }>();
      const entriesOf = (loc: Loc) => {
        const name = collectionOf(loc).collectionName;
        let e = entries.get(name);
        if (!e) entries.set(name, (e = { cells: [], users: [] }));
        return e;
      };
      for (const [key, cell] of delta.cells) {
        const lv = LEVELS[cell.level]!;
        const start = docStart(cell.t, lv.spanMs);
        const idx = (cell.t - start) / lv.unitMs;
        const loc = { ws: cell.workspaceId, level: cell.level, start };
        entriesOf(loc).cells.push(key);
        const inc = update(docId(cell.workspaceId, cell.level, start, 'c'), loc).$inc;
        for (const [f, v] of Object.entries(toStatsDoc(cell.stats))) if (v) inc[`c.${idx}.${cell.combo}.${f}`] = v;
        if (cell.hist.size) {
          const hinc = update(docId(cell.workspaceId, cell.level, start, 'l'), loc).$inc;
          for (const [b, n] of cell.hist) hinc[`l.${idx}.${cell.combo}.${b}`] = n;
        }
      }
      for (const [key, u] of delta.users) {
        const lv = LEVELS[u.level]!;
        const start = docStart(u.t, lv.spanMs);
        const loc = { ws: u.workspaceId, level: u.level, start };
        entriesOf(loc).users.push(key);
        const inc = update(docId(u.workspaceId, u.level, start, 'u'), loc).$inc;
        inc[`u.${(u.t - start) / lv.unitMs}.${u.user}.n`] = u.n;
        if (u.cost) inc[`u.${(u.t - start) / lv.unitMs}.${u.user}.c`] = u.cost;
      }
      const fresh = [...delta.workspaces].filter((w) => !knownWorkspaces.has(w));
      if (fresh.length) {
        const set = update(WORKSPACES_ID).$set;
        for (const w of fresh) set[`w.${encodeURIComponent(w).replace(/\./g, '%2E')}`] = true;
      }
      // One bulk command per collection, applied in order by the server, one collection after another:
      // parallel upserts make FerretDB's SQLite backend fail with SQLITE_BUSY.
      for (const [c, ids] of byCollection([...updates].map(([id, u]) => [id, u.loc]))) {
        await c.bulkWrite(
          ids.map((id) => {
            const u = updates.get(id)!;
            const op: Record<string, unknown> = {};
            if (Object.keys(u.$inc).length) op.$inc = u.$inc;
            if (Object.keys(u.$set).length) op.$set = u.$set;
            return { updateOne: { filter: { _id: id }, update: op, upsert: true } };
          }),
          { ordered: true },
        );
        const stored = entries.get(c.collectionName);
        for (const key of stored?.cells ?? []) delta.cells.delete(key);
        for (const key of stored?.users ?? []) delta.users.delete(key);
      }
      for (const w of fresh) knownWorkspaces.add(w);
    },

    async readCells(ws, reads, parts) {
      await ready();
      const wanted: { id: string; level: number; start: number; from: number; to: number; part: Part }[] = [];
      for (const r of reads) {
        const lv = LEVELS[r.level]!;
        for (let start = docStart(r.from, lv.spanMs); start < r.to; start += lv.spanMs) {
          const partsHere: Part[] = r.level === 0 ? ['c', ...(parts.hist ? ['l' as const] : []), ...(parts.users ? ['u' as const] : [])] : ['c'];
          for (const part of partsHere) wanted.push({ id: docId(ws, r.level, start, part), level: r.level, start, from: r.from, to: r.to, part });
        }
      }
      const docs = await fetch(new Map(wanted.map((w) => [w.id, { ws, level: w.level, start: w.start }])));
      const cells: Cell[] = [];
      const users: UserCell[] = [];
      // Cells are keyed by level, start and combo so histograms (level 0: another document) join their stats.
      const byKey = new Map<string, Cell>();
      const inRange = (w: (typeof wanted)[number], idx: string) => {
        const t = w.start + Number(idx) * LEVELS[w.level]!.unitMs;
        return t >= w.from && t < w.to ? t : undefined;
      };
      // Stats first, then histograms and users of the same cells.
      for (const w of wanted.filter((x) => x.part === 'c')) {
        const d = docs.get(w.id);
        for (const [idx, combos] of Object.entries(d?.c ?? {})) {
          const t = inRange(w, idx);
          if (t === undefined) continue;
          for (const [k, s] of Object.entries(combos)) {
            const cell: Cell = { t, combo: parseComboKey(k), stats: fromStatsDoc(s) };
            byKey.set(`${w.level}|${t}|${k}`, cell);
            cells.push(cell);
          }
        }
      }
      for (const w of wanted) {
        const d = docs.get(w.id);
        if (!d) continue;
        if (parts.hist && (w.part === 'l' || w.level > 0)) {
          for (const [idx, combos] of Object.entries(d.l ?? {})) {
            const t = inRange(w, idx);
            if (t === undefined) continue;
            for (const [k, buckets] of Object.entries(combos)) {
              const cell = byKey.get(`${w.level}|${t}|${k}`);
              if (cell) cell.hist = new Map(Object.entries(buckets).map(([b, n]) => [Number(b), n])) as Histogram;
            }
          }
        }
        if (parts.users && (w.part === 'u' || w.level > 0)) {
          for (const [idx, us] of Object.entries(d.u ?? {})) {
            const t = inRange(w, idx);
            if (t === undefined) continue;
            for (const [u, v] of Object.entries(us)) users.push({ t, user: parseUserKey(u), n: v.n, cost: v.c ?? 0 });
          }
        }
      }
      return { cells, users };
    },

    workspaces,

    async deleteBefore(cutoff) {
      await ready();
      if (opts.partitioned) {
        // Whole partitions before the cutoff are dropped; the (at most two per workspace) that straddle it are trimmed.
        for (const name of await partitionNames()) {
          const span = partitionSpan(name);
          if (!span || span.start >= cutoff) continue;
          const c = db.collection<RollupDoc>(name);
          if (span.end <= cutoff) await c.drop();
          else await trim(c, await c.find({}, { projection: { _id: 1 } }).toArray(), cutoff);
        }
        return;
      }
      // One collection: per workspace, an _id range per level (ids end in 13-digit times, so they sort by time).
      for (const ws of await workspaces()) {
        for (const level of LEVELS.keys()) {
          const range = { $gte: `${ws}|${level}|`, $lt: `${ws}|${level}|${cutoff}` };
          await trim(col, await col.find({ _id: range }, { projection: { _id: 1 } }).toArray(), cutoff);
        }
      }
    },
  };

  async function workspaces(): Promise<string[]> {
    const d = await col.findOne({ _id: WORKSPACES_ID });
    return Object.keys(d?.w ?? {}).map(decodeURIComponent);
  }

  async function partitionNames(): Promise<string[]> {
    const all = await db.listCollections({}, { nameOnly: true }).toArray();
    return all.map((c) => c.name).filter((n) => n.startsWith(`${COLLECTIONS.analyticsRollups}_`));
  }

  /** Deletes the documents wholly before the cutoff and unsets the cells before it in the one that straddles it. */
  async function trim(c: Collection<RollupDoc>, docs: { _id: string }[], cutoff: number): Promise<void> {
    const gone: string[] = [];
    for (const { _id } of docs) {
      const loc = locOf(_id);
      if (!loc || loc.start >= cutoff) continue;
      const lv = LEVELS[loc.level]!;
      if (loc.start + lv.spanMs <= cutoff) {
        gone.push(_id);
        continue;
      }
      const $unset: Record<string, ''> = {};
      for (let i = 0; i < (cutoff - loc.start) / lv.unitMs; i++) for (const part of ['c', 'l', 'u']) $unset[`${part}.${i}`] = '';
      await c.updateOne({ _id }, { $unset });
    }
    if (gone.length) await c.deleteMany({ _id: { $in: gone } });
  }
}
