import { randomBytes } from 'node:crypto';
import { deserialize as v8Deserialize, serialize as v8Serialize } from 'node:v8';
import { type Binary, BSON, type Collection } from 'mongodb';
import { type Compression, compressedWhenSmaller, restoredBytes } from './compression.js';
import { type BodyDoc, type ListDoc, restOf } from './segment-docs.js';

/**
 * Bodies are written a few dozen to a document (a body batch), each log's list document naming its batch in
 * `body_batch`: every stored document costs the database a fixed amount on top of its bytes (measured on
 * FerretDB on PostgreSQL, 100 logs a write, 4 writers: 3,500 logs/s with one body document per log, 4,800 with
 * one per batch, and two thirds of the client CPU per log). A batch is small enough that reading one log's
 * body (a detail panel, a page) decodes little besides it. Logs written before batches have a body document
 * of their own, under the log's _id, and are read as before.
 */
export interface BodyBatchDoc {
  _id: string;
  /**
   * The bodies as one opaque value for the database to store and return, decoded here: V8's serialization of the
   * BodyDoc array when `f` says so (Node documents the format as backward-compatible, safe to store), else BSON of
   * `{ b: BodyDoc[] }` (earlier versions). Measured on 32 GenAI spans' bodies: 5.9 us a span to encode and 6.5 to
   * decode, against 13.4 and 15.7 with BSON, and a fifth fewer bytes (one-byte strings stay one byte a character).
   */
  bodies: Binary;
  f?: 'v8';
  /**
   * Compressed (compression.ts): chat text shrinks ~4-5x, so the database encodes, stores and sends a fraction of
   * it (measured with deflate first: bench:ingest on PostgreSQL 3,800 -> 4,500 logs/s, exports at 100,000 logs
   * 5,800 -> 8,000 rows/s).
   */
  z?: Compression;
}

/** A document of a body collection. */
export type BodyHolder = BodyDoc | BodyBatchDoc;

/**
 * Bodies per batch document, and bytes of their text (a log past that has a batch of its own). A batch whose encoding
 * passes MAX_BATCH_BYTES (a body's other fields can be large too: span attributes) is split in two, so none nears
 * the 16 MB document limit.
 */
const BATCH_BODIES = 32;
const BATCH_BYTES = 256 * 1024;
const MAX_BATCH_BYTES = 8 * 1024 * 1024;

const bodyBytes = (b: BodyDoc) => b.request_body.length + b.response_body.length + b.request_headers.length + b.response_headers.length;

/** The id of the document that holds a log's body. */
export const bodyHolderOf = (list: Pick<ListDoc, '_id' | 'body_batch'>): string => list.body_batch ?? list._id;

/**
 * Groups bodies into batch documents and points each list document at its batch (`lists[i]` is the log of
 * `bodies[i]`). Batch ids are random: a retried write stores a new batch, and the list document kept (the first
 * one stored) still points at the batch written with it, which went in first.
 */
export async function batchBodies(lists: ListDoc[], bodies: BodyDoc[]): Promise<BodyBatchDoc[]> {
  const batches: Promise<BodyBatchDoc>[] = [];
  let start = 0;
  let size = 0;
  const close = (end: number) => {
    if (end === start) return;
    batches.push(...batchesOf(lists.slice(start, end), bodies.slice(start, end)));
    start = end;
    size = 0;
  };
  for (let i = 0; i < bodies.length; i++) {
    const bytes = bodyBytes(bodies[i]!);
    if (i - start >= BATCH_BODIES || (size + bytes > BATCH_BYTES && i > start)) close(i);
    size += bytes;
  }
  close(bodies.length);
  return Promise.all(batches);
}

/** Batch documents for these bodies, pointing their list documents at them: one, unless it is too large. */
function batchesOf(lists: ListDoc[], bodies: BodyDoc[]): Promise<BodyBatchDoc>[] {
  const raw = v8Serialize(bodies);
  if (raw.length > MAX_BATCH_BYTES && bodies.length > 1) {
    const half = Math.ceil(bodies.length / 2);
    return [...batchesOf(lists.slice(0, half), bodies.slice(0, half)), ...batchesOf(lists.slice(half), bodies.slice(half))];
  }
  const _id = randomBytes(12).toString('hex');
  for (const l of lists) l.body_batch = _id;
  return [compressedBatch(_id, raw)];
}

async function compressedBatch(_id: string, raw: Uint8Array): Promise<BodyBatchDoc> {
  const { data, z } = await compressedWhenSmaller(raw);
  return { _id, bodies: data, ...(z && { z }), f: 'v8' };
}

/** One batch document holding these bodies. */
export const packBodies = (_id: string, bodies: BodyDoc[]): Promise<BodyBatchDoc> =>
  // A body from an earlier version has its other fields as a BSON Binary, which V8 would store as a plain object.
  compressedBatch(_id, v8Serialize(bodies.map((b) => ({ ...b, rest: restOf(b) }))));

/** The bodies a stored document holds: a batch's, or itself (a log stored before batches). */
export function bodiesIn(doc: BodyHolder): BodyDoc[] {
  if (!('bodies' in doc)) return [doc];
  const bytes = restoredBytes(doc.bodies, doc.z);
  return doc.f === 'v8' ? (v8Deserialize(bytes) as BodyDoc[]) : (BSON.deserialize(bytes) as { b: BodyDoc[] }).b;
}

/**
 * Removes the bodies of some logs from a segment's body collection: their own documents, and their entries in
 * batches (a batch left empty is deleted, others are rewritten without them).
 */
export async function removeBodies(col: Collection<BodyHolder>, lists: Pick<ListDoc, '_id' | 'body_batch'>[]): Promise<void> {
  const gone = new Set(lists.map((l) => l._id));
  const holders = [...new Set(lists.map(bodyHolderOf))];
  for (let i = 0; i < holders.length; i += 500) {
    const docs = await col.find({ _id: { $in: holders.slice(i, i + 500) } }).toArray();
    const writes = await Promise.all(
      docs.map(async (doc) => {
        const left = bodiesIn(doc).filter((b) => !gone.has(b._id));
        if (left.length === 0 || !('bodies' in doc)) return { deleteOne: { filter: { _id: doc._id } } };
        return { replaceOne: { filter: { _id: doc._id }, replacement: await packBodies(doc._id, left) } };
      }),
    );
    if (writes.length) await col.bulkWrite(writes, { ordered: false });
  }
}
