import { Binary, BSON, type Db } from 'mongodb';
import { listCollection, type SegmentEntry } from './catalog.js';
import type { ListDoc } from './segment-docs.js';

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
const PACK_ID = 'pack';

interface PackDoc {
  _id: string;
  rows: Binary;
}

/** BSON documents are limited to 16 MB: larger segments stay unpacked and are read from their collection. */
const MAX_PACK_BYTES = 15 * 1024 * 1024;

/** Writes a segment's pack from its list documents (read whole when not given); false when too large to pack. */
export async function writePack(db: Db, segmentId: string, rows?: ListDoc[]): Promise<boolean> {
  const docs = rows ?? (await db.collection<ListDoc>(listCollection(segmentId)).find({}, { batchSize: 1_000_000 }).toArray());
  const bytes = BSON.serialize({ rows: docs }, { ignoreUndefined: true });
  if (bytes.length > MAX_PACK_BYTES) return false;
  await db.collection<PackDoc>(packCollection(segmentId)).replaceOne({ _id: PACK_ID }, { rows: new Binary(bytes) }, { upsert: true });
  return true;
}

export async function dropPack(db: Db, segmentId: string): Promise<void> {
  await db
    .collection(packCollection(segmentId))
    .drop()
    .catch(() => false);
}

/**
 * Decoded packs, most recently used kept. Keyed by the entry's updated_at too: retention rewrites a trimmed
 * segment's pack and entry, and a process holding the old rows must not serve them.
 */
export class PackCache {
  private readonly cache = new Map<string, { at: number; rows: Promise<ListDoc[] | null> }>();

  constructor(
    private readonly db: Db,
    private readonly maxSegments = 48,
  ) {}

  /** The segment's rows from its pack, or null when it has none (read its collection instead). */
  rows(e: SegmentEntry): Promise<ListDoc[] | null> {
    const at = e.updated_at.getTime();
    const hit = this.cache.get(e._id);
    if (hit && hit.at === at) {
      // Re-inserted: Map order is the eviction order.
      this.cache.delete(e._id);
      this.cache.set(e._id, hit);
      return hit.rows;
    }
    const rows = this.load(e._id);
    this.cache.set(e._id, { at, rows });
    rows.catch(() => this.cache.delete(e._id));
    while (this.cache.size > this.maxSegments) this.cache.delete(this.cache.keys().next().value!);
    return rows;
  }

  private async load(segmentId: string): Promise<ListDoc[] | null> {
    const doc = await this.db.collection<PackDoc>(packCollection(segmentId)).findOne({ _id: PACK_ID });
    if (!doc) return null;
    return (BSON.deserialize(doc.rows.buffer) as { rows: ListDoc[] }).rows;
  }
}
