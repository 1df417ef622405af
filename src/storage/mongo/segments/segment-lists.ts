import { randomBytes } from 'node:crypto';
import { type Binary, BSON, type Collection } from 'mongodb';
import { type Compression, compressedWhenSmaller, restoredBytes } from './compression.js';
import type { ListDoc } from './segment-docs.js';
import { rowsBytes, rowsFromBytes, rowText } from './segment-rows.js';

/**
 * On the embedded layout a write's list documents are stored together, as one document of the segment's list
 * collection (a list batch), not one document each: the database's cost per stored document dominates ingest
 * there (bare driver, FerretDB on PostgreSQL, 100 logs a write: 4,800 logs/s with a list document per log,
 * 7,400 with one per write). Nothing reads a list collection by its fields on that layout: sealed segments are
 * read from their pack, segments open here from memory, and others (open elsewhere, being retired) whole.
 * Collections written by earlier versions hold one list document per log; both forms read alike.
 * MongoDB keeps a document per log, which its indexes serve.
 */
export interface ListBatchDoc {
  _id: string;
  /** The rows as JSON (segment-rows.ts), compressed when that is smaller; BSON of `{ r: ListDoc[] }` in batches of earlier versions. */
  rows: Binary;
  z?: Compression;
  f?: 'json';
}

/** A document of a list collection. */
export type ListHolder = ListDoc | ListBatchDoc;

const isBatch = (doc: ListHolder): doc is ListBatchDoc => 'rows' in doc;

/** Above this many raw bytes a write's list documents are split over several batches (16 MB is the hard limit). */
const MAX_BATCH_BYTES = 8 * 1024 * 1024;

/**
 * Batch documents for these list documents (`texts[i]` is the rowText of `lists[i]`): one, unless they are too
 * large for one. Ids are random: a write retried after a lost acknowledgement stores a second batch, and readers
 * keep the first copy of each log (readAllLists).
 */
export async function packLists(lists: ListDoc[], texts: string[] = lists.map(rowText)): Promise<ListBatchDoc[]> {
  const raw = rowsBytes(texts);
  if (raw.length > MAX_BATCH_BYTES && lists.length > 1) {
    const half = Math.ceil(lists.length / 2);
    return [...(await packLists(lists.slice(0, half), texts.slice(0, half))), ...(await packLists(lists.slice(half), texts.slice(half)))];
  }
  const { data, z } = await compressedWhenSmaller(raw);
  return [{ _id: randomBytes(12).toString('hex'), rows: data, ...(z && { z }), f: 'json' }];
}

/** The list documents a stored document holds: a batch's, or itself (a log stored one document each). */
export function listsIn(doc: ListHolder): ListDoc[] {
  if (!isBatch(doc)) return [doc];
  const bytes = restoredBytes(doc.rows, doc.z);
  return doc.f === 'json' ? rowsFromBytes(bytes) : (BSON.deserialize(bytes) as { r: ListDoc[] }).r;
}

/** Every log of a list collection, in storage order, the first copy of an id kept (see packLists). */
export async function readAllLists(col: Collection<ListHolder>): Promise<ListDoc[]> {
  const docs = await col.find({}, { batchSize: 1_000_000 }).toArray();
  const seen = new Set<string>();
  const out: ListDoc[] = [];
  for (const doc of docs)
    for (const row of listsIn(doc)) {
      if (seen.has(row._id)) continue;
      seen.add(row._id);
      out.push(row);
    }
  return out;
}

/**
 * Removes some logs from a list collection: their own documents, and their rows in batches (the rest of those
 * batches' rows are written to a new batch first, so a reader meanwhile sees each log at least once).
 */
export async function removeLists(col: Collection<ListHolder>, ids: Iterable<string>): Promise<void> {
  const gone = new Set(ids);
  const docs = await col.find({}, { batchSize: 1_000_000 }).toArray();
  const touched = docs.filter((d) => listsIn(d).some((r) => gone.has(r._id)));
  const kept = new Map<string, ListDoc>();
  for (const d of touched.filter(isBatch)) for (const r of listsIn(d)) if (!gone.has(r._id) && !kept.has(r._id)) kept.set(r._id, r);
  if (kept.size) await col.insertMany(await packLists([...kept.values()]));
  for (let i = 0; i < touched.length; i += 1000)
    await col.bulkWrite(
      touched.slice(i, i + 1000).map((d) => ({ deleteOne: { filter: { _id: d._id } } })),
      { ordered: false },
    );
}
