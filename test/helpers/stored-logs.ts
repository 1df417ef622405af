import { Binary, BSON, type Db, type Document, type Filter } from 'mongodb';
import { bodiesOf, CATALOG, LOG_IDS, listOf, OPEN_CATALOG } from '../../src/storage/mongo/segments/catalog.js';
import { type BodyHolder, bodiesIn, bodyHolderOf, packBodies } from '../../src/storage/mongo/segments/segment-bodies.js';
import { joinLogDoc, type ListDoc } from '../../src/storage/mongo/segments/segment-docs.js';

/**
 * Direct access to stored log list documents, for checking what was (not) stored and for planting damage.
 * Logs live in segment collections (src/storage/mongo/segments); these helpers find them through the catalog.
 */
async function segmentIds(db: Db): Promise<string[]> {
  const [open, sealed] = await Promise.all([db.collection(OPEN_CATALOG).find({}).toArray(), db.collection(CATALOG).find({}).toArray()]);
  return [...new Set([...open, ...sealed].map((e) => e._id as unknown as string))];
}

/** The segment holding a log: its id claim, or (ids the server generated are not claimed on FerretDB) a search. */
async function segmentOf(db: Db, id: string): Promise<string | undefined> {
  const claim = await db.collection<{ _id: string; s: string }>(LOG_IDS).findOne({ _id: id });
  if (claim) return claim.s;
  for (const s of await segmentIds(db)) if (await listOf(db, s).findOne({ _id: id as never }, { projection: { _id: 1 } })) return s;
  return undefined;
}

export async function findStoredLogs(db: Db, filter: Filter<Document> = {}): Promise<Document[]> {
  const out: Document[] = [];
  for (const s of await segmentIds(db)) out.push(...(await listOf(db, s).find(filter).toArray()));
  return out;
}

export async function countStoredLogs(db: Db, filter: Filter<Document> = {}): Promise<number> {
  let n = 0;
  for (const s of await segmentIds(db)) n += await listOf(db, s).countDocuments(filter);
  return n;
}

/**
 * Changes fields of one stored log that live packed in its body document (span details, organisation, URL, ...),
 * as damage on disk would: readers get them from the database whatever they keep in memory.
 */
export async function updatePackedFields(db: Db, id: string, change: { set?: Record<string, unknown>; unset?: string[] }): Promise<void> {
  const segment = await segmentOf(db, id);
  if (!segment) throw new Error(`no stored log ${id}`);
  const list = await listOf<ListDoc>(db, segment).findOne({ _id: id });
  const bodies = bodiesOf<BodyHolder>(db, segment);
  const holder = list && (await bodies.findOne({ _id: bodyHolderOf(list) }));
  if (!holder) throw new Error(`log ${id} has no stored body`);
  const all = bodiesIn(holder).map((body) => {
    if (body._id !== id) return body;
    const rest = { ...BSON.deserialize(body.rest.buffer), ...change.set };
    for (const k of change.unset ?? []) delete rest[k];
    return { ...body, rest: new Binary(BSON.serialize(rest)) };
  });
  await bodies.replaceOne({ _id: holder._id }, 'bodies' in holder ? await packBodies(holder._id, all) : all[0]!);
}

/** Everything stored for one log (list and body documents joined, packed fields unpacked), or null. */
export async function findStoredLog(db: Db, id: string): Promise<Document | null> {
  const segment = await segmentOf(db, id);
  if (!segment) return null;
  const list = await listOf<ListDoc>(db, segment).findOne({ _id: id });
  if (!list) return null;
  const holder = await bodiesOf<BodyHolder>(db, segment).findOne({ _id: bodyHolderOf(list) });
  return joinLogDoc(list, holder ? bodiesIn(holder).find((b) => b._id === id) : undefined);
}
