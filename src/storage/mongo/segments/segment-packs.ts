import { Binary, BSON, type Db } from 'mongodb';
import { listOf, type SegmentEntry } from './catalog.js';
import { deflateBytes, inflateBytes } from './compression.js';
import { segmentDb } from './segment-databases.js';
import type { ListDoc } from './segment-docs.js';
import { type ListHolder, readAllLists } from './segment-lists.js';

/**
 * Packs: on the embedded database, a sealed segment's list documents are also kept as one document (a BSON
 * array in a Binary), alone in a collection of its own: FerretDB 1.24's SQLite backend as released answers even
 * an exact-_id read by parsing every row of the table (the embedded launcher indexes those reads, but a FerretDB
 * behind MONGODB_URI may not), so a shared collection of packs could cost what all packs weigh.
 * Reading the pack is one read of a one-row table and one decode in Node (a few ms for 1,000 rows), where a
 * query on the list collection decodes every document in Go (~100 ms for 1,000). The list collection stays the
 * record (retention, abandoned segments and MongoDB read it); a pack is written when its segment is sealed,
 * before the catalog says so.
 */
export const packCollection = (segmentId: string) => `logs_${segmentId}_pack`;
const packOf = (db: Db, segmentId: string) => segmentDb(db, segmentId).collection<PackDoc>(packCollection(segmentId));
const PACK_ID = 'pack';

interface PackDoc {
  _id: string;
  /** BSON of `{ rows }`, deflated when `z` says so (packs written before compression are plain). */
  rows: Binary;
  z?: 'deflate';
}

/** BSON documents are limited to 16 MB: larger segments stay unpacked and are read from their collection. */
const MAX_PACK_BYTES = 15 * 1024 * 1024;

/** Writes a segment's pack from its list documents (read whole when not given); false when too large to pack. */
export async function writePack(db: Db, segmentId: string, rows?: ListDoc[]): Promise<boolean> {
  const docs = rows ?? (await readAllLists(listOf<ListHolder>(db, segmentId)));
  // Deflated (~6x smaller for list documents): the database reads, converts and sends a pack on every cold read,
  // at a cost that follows its size, where inflating it here takes ~1 ms.
  const bytes = await deflateBytes(BSON.serialize({ rows: docs }, { ignoreUndefined: true }), 6);
  if (bytes.length > MAX_PACK_BYTES) return false;
  await packOf(db, segmentId).replaceOne({ _id: PACK_ID }, { rows: new Binary(bytes), z: 'deflate' }, { upsert: true });
  return true;
}

/** Body packs (`bodies.<n>` beside the list pack) were written at sealing by earlier versions; retention drops them. */
export async function dropBodyPacks(db: Db, segmentId: string): Promise<void> {
  await packOf(db, segmentId).deleteMany({ _id: { $ne: PACK_ID } });
}

export async function dropPack(db: Db, segmentId: string): Promise<void> {
  await packOf(db, segmentId)
    .drop()
    .catch(() => false);
}

/**
 * Packs, most recently used kept: decoded for the last `maxSegments`, and as stored (deflated, ~100 KB for 1,000
 * logs) up to `maxStoredBytes`, so a count or export that walks more segments than fit decoded re-decodes them
 * in Node rather than reading them from the database again. Keyed by the entry's updated_at too: retention
 * rewrites a trimmed segment's pack and entry, and a process holding the old rows must not serve them.
 */
export class PackCache {
  private readonly decoded = new Map<string, { at: number; rows: Promise<ListDoc[] | null> }>();
  private readonly stored = new Map<string, { at: number; doc: PackDoc | null }>();
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
    if (!keep) return hit && hit.at === at ? hit.rows : this.load(e._id, at, false);
    if (hit && hit.at === at) {
      // Re-inserted: Map order is the eviction order.
      this.decoded.delete(e._id);
      this.decoded.set(e._id, hit);
      return hit.rows;
    }
    const rows = this.load(e._id, at);
    this.decoded.set(e._id, { at, rows });
    rows.catch(() => this.decoded.delete(e._id));
    while (this.decoded.size > this.maxSegments) this.decoded.delete(this.decoded.keys().next().value!);
    return rows;
  }

  private async load(segmentId: string, at: number, keep = true): Promise<ListDoc[] | null> {
    const doc = await this.storedDoc(segmentId, at, keep);
    if (!doc) return null;
    const bytes = doc.z === 'deflate' ? await inflateBytes(doc.rows.buffer) : doc.rows.buffer;
    return (BSON.deserialize(bytes) as { rows: ListDoc[] }).rows;
  }

  private async storedDoc(segmentId: string, at: number, keep: boolean): Promise<PackDoc | null> {
    const hit = this.stored.get(segmentId);
    if (hit && hit.at === at) {
      if (!keep) return hit.doc;
      this.stored.delete(segmentId);
      this.stored.set(segmentId, hit);
      return hit.doc;
    }
    const doc = await packOf(this.db, segmentId).findOne({ _id: PACK_ID });
    if (!keep) return doc;
    if (hit) this.forgetStored(segmentId);
    this.stored.set(segmentId, { at, doc });
    this.storedBytes += doc?.rows.length() ?? 0;
    while (this.storedBytes > this.maxStoredBytes && this.stored.size > 1) this.forgetStored(this.stored.keys().next().value!);
    return doc;
  }

  private forgetStored(segmentId: string): void {
    this.storedBytes -= this.stored.get(segmentId)?.doc?.rows.length() ?? 0;
    this.stored.delete(segmentId);
  }
}
