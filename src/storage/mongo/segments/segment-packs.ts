import { randomBytes } from 'node:crypto';
import { Binary, BSON, type Db } from 'mongodb';
import { stringHash } from './bloom.js';
import { listOf, type SegmentEntry } from './catalog.js';
import { deflateBytes, inflateBytes } from './compression.js';
import { segmentDb } from './segment-databases.js';
import type { ListDoc } from './segment-docs.js';
import { type ListHolder, readAllLists } from './segment-lists.js';
import { rowsBytes, rowsFromBytes, rowText } from './segment-rows.js';

/**
 * Packs: on the embedded database, a sealed segment's list documents are also kept in a few documents (JSON
 * arrays in Binaries), alone in a collection of their own: FerretDB 1.24's SQLite backend as released answers
 * even an exact-_id read by parsing every row of the table (the embedded launcher indexes those reads, but a
 * FerretDB behind MONGODB_URI may not), so a shared collection of packs could cost what all packs weigh.
 * Reading a pack is one read of a small table and a decode in Node (a few ms for 1,000 rows), where a query on
 * the list collection decodes every document in Go (~100 ms for 1,000). The list collection stays the record
 * (retention, abandoned segments and MongoDB read it); a pack is written when its segment is sealed, before
 * the catalog says so.
 *
 * A pack is cut into chunks by a hash of the log id, so a lookup by id reads and decodes one chunk (~128 rows)
 * by its exact _id: list documents of a segment are stored a write at a time (segment-lists.ts), so nothing
 * else finds one log's row without reading them all (measured at 1M logs: 28 ms a cold lookup through a whole
 * pack, mostly the database encoding ~150 KB). Chunk ids carry the pack's version, which the catalog entry
 * names: a rewritten pack (retention) never mixes with the chunks of the one it replaces.
 */
export const packCollection = (segmentId: string) => `logs_${segmentId}_pack`;
const packOf = (db: Db, segmentId: string) => segmentDb(db, segmentId).collection<PackDoc>(packCollection(segmentId));
/** The one document of a pack written by earlier versions (entries without `pack`). */
const LEGACY_PACK_ID = 'pack';
/** Rows per chunk, about: one chunk is what a lookup by id decodes. */
const CHUNK_ROWS = 128;

interface PackDoc {
  _id: string;
  /**
   * The rows as JSON (segment-rows.ts) when `f` says so, else BSON of `{ rows }` (earlier versions); deflated when
   * `z` says so (packs written before compression are plain).
   */
  rows: Binary;
  z?: 'deflate';
  f?: 'json';
}

/** Where a segment's pack is: its version and number of chunks (kept in the catalog entry). */
export interface PackRef {
  v: string;
  chunks: number;
}

/** The catalog entry's fields for a pack written by writePack (or for none). */
export const packFields = (pack: PackRef | false): { packed: boolean; pack?: PackRef } => (pack ? { packed: true, pack } : { packed: false });

const chunkId = (ref: PackRef, j: number) => `${ref.v}.${j}`;
const chunkOf = (ref: PackRef, logId: string) => stringHash(logId) % ref.chunks;

/** BSON documents are limited to 16 MB: a segment with a larger chunk stays unpacked and is read from its collection. */
const MAX_PACK_BYTES = 15 * 1024 * 1024;

/**
 * Writes a segment's pack from its list documents (read whole when not given), replacing any earlier one; false
 * when a chunk would be too large. `texts[i]`, when given, is the rowText of `rows[i]` (the writer keeps them).
 */
export async function writePack(db: Db, segmentId: string, rows?: ListDoc[], texts?: string[]): Promise<PackRef | false> {
  const docs = rows ?? (await readAllLists(listOf<ListHolder>(db, segmentId)));
  const ref: PackRef = { v: randomBytes(4).toString('hex'), chunks: Math.max(1, Math.ceil(docs.length / CHUNK_ROWS)) };
  const parts: string[][] = Array.from({ length: ref.chunks }, () => []);
  docs.forEach((d, i) => parts[chunkOf(ref, d._id)]!.push(texts?.[i] ?? rowText(d)));
  const chunks: PackDoc[] = [];
  for (const [j, part] of parts.entries()) {
    // Deflated (~5x smaller for list documents): the database reads, converts and sends a pack on every cold
    // read, at a cost that follows its size, where inflating it here takes ~1 ms. Level 1: 128 list documents
    // took 1.5-2 us a row against 4.7-4.9 at level 6, for 6% more bytes (at ingest, every log is packed once).
    const bytes = await deflateBytes(rowsBytes(part));
    if (bytes.length > MAX_PACK_BYTES) return false;
    chunks.push({ _id: chunkId(ref, j), rows: new Binary(bytes), z: 'deflate', f: 'json' });
  }
  const col = packOf(db, segmentId);
  await col.insertMany(chunks);
  // Whatever else is there (an earlier version of the pack, legacy body packs) goes: readers of an entry that
  // still names it find it incomplete and read the list collection instead.
  await col.deleteMany({ _id: { $nin: chunks.map((c) => c._id) } });
  return ref;
}

/** Body packs (`bodies.<n>` beside the list pack) were written at sealing by earlier versions; retention drops them. */
export async function dropBodyPacks(db: Db, segmentId: string): Promise<void> {
  await packOf(db, segmentId).deleteMany({ _id: /^bodies\./ });
}

export async function dropPack(db: Db, segmentId: string): Promise<void> {
  await packOf(db, segmentId)
    .drop()
    .catch(() => false);
}

/** The rows of a pack's documents (chunks in any order), or null when some are missing. */
async function rowsOf(docs: PackDoc[], expected: number): Promise<ListDoc[] | null> {
  if (docs.length !== expected) return null;
  const rows: ListDoc[] = [];
  for (const doc of docs) for (const r of await decodeChunk(doc)) rows.push(r);
  return rows;
}

async function decodeChunk(doc: PackDoc): Promise<ListDoc[]> {
  const bytes = doc.z === 'deflate' ? await inflateBytes(doc.rows.buffer) : doc.rows.buffer;
  return doc.f === 'json' ? rowsFromBytes(bytes) : (BSON.deserialize(bytes) as { rows: ListDoc[] }).rows;
}

/**
 * Packs, most recently used kept: decoded for the last `maxSegments`, and as stored (deflated, ~100 KB for 1,000
 * logs) up to `maxStoredBytes`, so a count or export that walks more segments than fit decoded re-decodes them
 * in Node rather than reading them from the database again. Keyed by the entry's updated_at too: retention
 * rewrites a trimmed segment's pack and entry, and a process holding the old rows must not serve them.
 */
export class PackCache {
  private readonly decoded = new Map<string, { at: number; rows: Promise<ListDoc[] | null> }>();
  private readonly stored = new Map<string, { at: number; docs: PackDoc[] | null; bytes: number }>();
  private storedBytes = 0;

  constructor(
    private readonly db: Db,
    private readonly maxSegments = 48,
    private readonly maxStoredBytes = 64 * 1024 * 1024,
  ) {}

  /**
   * The segment's rows from its pack, or null when it has none (read its collection instead). `keep: false`
   * (a read that walks every segment once, like an export) uses what is cached but adds nothing: it would
   * only push out what interactive reads use, and hold up to the caches' size in memory while it runs.
   */
  rows(e: SegmentEntry, keep = true): Promise<ListDoc[] | null> {
    const at = e.updated_at.getTime();
    const hit = this.decoded.get(e._id);
    if (!keep) return hit && hit.at === at ? hit.rows : this.load(e, at, false);
    if (hit && hit.at === at) {
      // Re-inserted: Map order is the eviction order.
      this.decoded.delete(e._id);
      this.decoded.set(e._id, hit);
      return hit.rows;
    }
    const rows = this.load(e, at);
    this.decoded.set(e._id, { at, rows });
    rows.catch(() => this.decoded.delete(e._id));
    while (this.decoded.size > this.maxSegments) this.decoded.delete(this.decoded.keys().next().value!);
    return rows;
  }

  /**
   * The row of one log from the segment's pack (undefined: not there), reading only the chunk that would hold
   * it unless the pack is cached; null when the segment has no (complete) pack.
   */
  async row(e: SegmentEntry, logId: string): Promise<ListDoc | undefined | null> {
    const hit = this.decoded.get(e._id);
    const cached = (hit && hit.at === e.updated_at.getTime() && (await hit.rows)) || undefined;
    if (cached || !e.pack) {
      const rows = cached ?? (await this.rows(e));
      if (!rows) return null;
      return rows.find((r) => r._id === logId);
    }
    const doc = await packOf(this.db, e._id).findOne({ _id: chunkId(e.pack, chunkOf(e.pack, logId)) });
    return doc ? (await decodeChunk(doc)).find((r) => r._id === logId) : null;
  }

  /**
   * How many rows of a segment's pack pass `test`, for background work: from the cache when it holds the pack,
   * else read a chunk at a time and not cached, awaiting `between` before each chunk (so an interactive read
   * waits on one chunk at most); null when the segment has no chunked pack (or it is being rewritten).
   */
  async countInChunks(e: SegmentEntry, test: (row: ListDoc) => boolean, between: () => Promise<void>): Promise<number | null> {
    const count = (rows: ListDoc[]) => rows.reduce((n, r) => (test(r) ? n + 1 : n), 0);
    const hit = this.decoded.get(e._id);
    if (hit && hit.at === e.updated_at.getTime()) {
      const rows = await hit.rows;
      return rows && count(rows);
    }
    if (!e.pack) return null;
    let n = 0;
    for (let j = 0; j < e.pack.chunks; j++) {
      await between();
      const doc = await packOf(this.db, e._id).findOne({ _id: chunkId(e.pack, j) });
      if (!doc) return null;
      n += count(await decodeChunk(doc));
    }
    return n;
  }

  private async load(e: SegmentEntry, at: number, keep = true): Promise<ListDoc[] | null> {
    const docs = await this.storedDocs(e, at, keep);
    return docs && rowsOf(docs, e.pack?.chunks ?? 1);
  }

  private async storedDocs(e: SegmentEntry, at: number, keep: boolean): Promise<PackDoc[] | null> {
    const hit = this.stored.get(e._id);
    if (hit && hit.at === at) {
      if (!keep) return hit.docs;
      this.stored.delete(e._id);
      this.stored.set(e._id, hit);
      return hit.docs;
    }
    const col = packOf(this.db, e._id);
    // The collection holds the pack's chunks (and, while retention rewrites it, another version's): read whole.
    const docs = e.pack
      ? (await col.find({}, { batchSize: 100_000 }).toArray()).filter((d) => d._id.startsWith(`${e.pack!.v}.`))
      : await col.find({ _id: LEGACY_PACK_ID }).toArray();
    const found = docs.length ? docs : null;
    if (!keep) return found;
    if (hit) this.forgetStored(e._id);
    const bytes = docs.reduce((n, d) => n + d.rows.length(), 0);
    this.stored.set(e._id, { at, docs: found, bytes });
    this.storedBytes += bytes;
    while (this.storedBytes > this.maxStoredBytes && this.stored.size > 1) this.forgetStored(this.stored.keys().next().value!);
    return found;
  }

  private forgetStored(segmentId: string): void {
    this.storedBytes -= this.stored.get(segmentId)?.bytes ?? 0;
    this.stored.delete(segmentId);
  }
}
