import { randomBytes } from 'node:crypto';
import { type Binary, BSON, type Collection } from 'mongodb';
import { snappyWhenSmaller, restoredBytes } from './compression.js';
import type { BodyDoc, ListDoc } from './segment-docs.js';

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
  /** BSON of `{ b: BodyDoc[] }`: one opaque value for the database to store and return, decoded here. */
  bodies: Binary;
  /**
   * Compressed with Snappy: chat text shrinks ~3-4x, so the database encodes, stores and sends a third of it
   * (measured with deflate first: bench:ingest on PostgreSQL 3,800 -> 4,500 logs/s, exports at 100,000 logs
   * 5,800 -> 8,000 rows/s). Snappy compresses at ~1 GB/s where deflate at level 1 took ~20 us of CPU per log
   * (bench:ingest with Snappy: 4,700-5,000 logs/s, 110-119 us against 121-138 us with deflate).
   */
  z?: 'snappy';
}

/** A document of a body collection. */
export type BodyHolder = BodyDoc | BodyBatchDoc;

/** Bodies per batch document, and raw bytes (a log past that has a batch of its own; 16 MB is the hard limit). */
const BATCH_BODIES = 32;
const BATCH_BYTES = 256 * 1024;

const bodyBytes = (b: BodyDoc) => b.request_body.length + b.response_body.length + b.request_headers.length + b.response_headers.length + b.rest.length();

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
    const _id = randomBytes(12).toString('hex');
    for (let i = start; i < end; i++) lists[i]!.body_batch = _id;
    batches.push(packBodies(_id, bodies.slice(start, end)));
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

/** One batch document holding these bodies. */
export async function packBodies(_id: string, bodies: BodyDoc[]): Promise<BodyBatchDoc> {
  const { data, z } = await snappyWhenSmaller(BSON.serialize({ b: bodies }));
  return { _id, bodies: data, ...(z && { z }) };
}

/** The bodies a stored document holds: a batch's, or itself (a log stored before batches). */
export function bodiesIn(doc: BodyHolder): BodyDoc[] {
  if (!('bodies' in doc)) return [doc];
  return (BSON.deserialize(restoredBytes(doc.bodies, doc.z)) as { b: BodyDoc[] }).b;
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
