import { Query } from 'mingo';
import type { Db, Document, Filter } from 'mongodb';
import { bodiesOf, CATALOG, LOG_IDS, listOf, OPEN_CATALOG } from '../../src/storage/mongo/segments/catalog.js';
import { type BodyHolder, bodiesIn, bodyHolderOf, packBodies } from '../../src/storage/mongo/segments/segment-bodies.js';
import { joinLogDoc, restOf } from '../../src/storage/mongo/segments/segment-docs.js';
import { type ListHolder, readAllLists } from '../../src/storage/mongo/segments/segment-lists.js';

/**
 * Direct access to stored log list documents, for checking what was (not) stored and for planting damage.
 * Logs live in segment collections (src/storage/mongo/segments); these helpers find them through the catalog.
 */
async function segmentIds(db: Db): Promise<string[]> {
  const [open, sealed] = await Promise.all([db.collection(OPEN_CATALOG).find({}).toArray(), db.collection(CATALOG).find({}).toArray()]);
  return [...new Set([...open, ...sealed].map((e) => e._id as unknown as string))];
}

/** A segment's list documents (batches unpacked, as readers see them). */
const listsOf = (db: Db, segment: string) => readAllLists(listOf<ListHolder>(db, segment));

/** A segment's list document of one log. */
const listDocOf = async (db: Db, segment: string, id: string) => (await listsOf(db, segment)).find((d) => d._id === id);

/** The segment holding a log: its id claim, or (ids the server generated are not claimed on FerretDB) a search. */
async function segmentOf(db: Db, id: string): Promise<string | undefined> {
  const claim = await db.collection<{ _id: string; s: string }>(LOG_IDS).findOne({ _id: id });
  if (claim) return claim.s;
  for (const s of await segmentIds(db)) if (await listDocOf(db, s, id)) return s;
  return undefined;
}

/** Stored list documents matching a query (with MongoDB's semantics), from every segment. */
export async function findStoredLogs(db: Db, filter: Filter<Document> = {}): Promise<Document[]> {
  const match = new Query(filter as Record<string, unknown>);
  const out: Document[] = [];
  for (const s of await segmentIds(db)) out.push(...(await listsOf(db, s)).filter((d) => match.test(d)));
  return out;
}

export async function countStoredLogs(db: Db, filter: Filter<Document> = {}): Promise<number> {
  return (await findStoredLogs(db, filter)).length;
}

/**
 * Changes fields of one stored log that live packed in its body document (span details, organisation, URL, ...),
 * as damage on disk would: readers get them from the database whatever they keep in memory.
 */
export async function updatePackedFields(db: Db, id: string, change: { set?: Record<string, unknown>; unset?: string[] }): Promise<void> {
  const segment = await segmentOf(db, id);
  if (!segment) throw new Error(`no stored log ${id}`);
  const list = await listDocOf(db, segment, id);
  const bodies = bodiesOf<BodyHolder>(db, segment);
  const holder = list && (await bodies.findOne({ _id: bodyHolderOf(list) }));
  if (!holder) throw new Error(`log ${id} has no stored body`);
  const all = bodiesIn(holder).map((body) => {
    if (body._id !== id) return body;
    const rest = { ...restOf(body), ...change.set };
    for (const k of change.unset ?? []) delete rest[k];
    return { ...body, rest };
  });
  await bodies.replaceOne({ _id: holder._id }, 'bodies' in holder ? await packBodies(holder._id, all) : all[0]!);
}

/** Everything stored for one log (list and body documents joined, packed fields unpacked), or null. */
export async function findStoredLog(db: Db, id: string): Promise<Document | null> {
  const segment = await segmentOf(db, id);
  if (!segment) return null;
  const list = await listDocOf(db, segment, id);
  if (!list) return null;
  const holder = await bodiesOf<BodyHolder>(db, segment).findOne({ _id: bodyHolderOf(list) });
  return joinLogDoc(list, holder ? bodiesIn(holder).find((b) => b._id === id) : undefined);
}
