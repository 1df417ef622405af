import type { Db, Document, Filter, UpdateFilter } from 'mongodb';
import { bodyCollection, CATALOG, LOG_IDS, listCollection, OPEN_CATALOG } from '../../src/storage/mongo/segments/catalog.js';
import { type BodyDoc, joinLogDoc, type ListDoc } from '../../src/storage/mongo/segments/segment-docs.js';

/**
 * Direct access to stored log list documents, for checking what was (not) stored and for planting damage.
 * Logs live in segment collections (src/storage/mongo/segments); these helpers find them through the catalog.
 */
async function segmentIds(db: Db): Promise<string[]> {
  const [open, sealed] = await Promise.all([db.collection(OPEN_CATALOG).find({}).toArray(), db.collection(CATALOG).find({}).toArray()]);
  return [...new Set([...open, ...sealed].map((e) => e._id as unknown as string))];
}

export async function findStoredLogs(db: Db, filter: Filter<Document> = {}): Promise<Document[]> {
  const out: Document[] = [];
  for (const s of await segmentIds(db)) out.push(...(await db.collection(listCollection(s)).find(filter).toArray()));
  return out;
}

export async function countStoredLogs(db: Db, filter: Filter<Document> = {}): Promise<number> {
  let n = 0;
  for (const s of await segmentIds(db)) n += await db.collection(listCollection(s)).countDocuments(filter);
  return n;
}

/** Updates the list document of one log, found through the id index. */
export async function updateStoredLog(db: Db, id: string, update: UpdateFilter<Document>): Promise<void> {
  const claim = await db.collection<{ _id: string; s: string }>(LOG_IDS).findOne({ _id: id });
  if (!claim) throw new Error(`no stored log ${id}`);
  const res = await db.collection(listCollection(claim.s)).updateOne({ _id: id as never }, update);
  if (res.matchedCount !== 1) throw new Error(`log ${id} not in its segment`);
}

/** Everything stored for one log (list and body documents joined, packed fields unpacked), or null. */
export async function findStoredLog(db: Db, id: string): Promise<Document | null> {
  const claim = await db.collection<{ _id: string; s: string }>(LOG_IDS).findOne({ _id: id });
  if (!claim) return null;
  const list = await db.collection<ListDoc>(listCollection(claim.s)).findOne({ _id: id });
  const body = await db.collection<BodyDoc>(bodyCollection(claim.s)).findOne({ _id: id });
  return list && joinLogDoc(list, body ?? undefined);
}
