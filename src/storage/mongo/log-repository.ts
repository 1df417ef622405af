import { type Collection, type Db, MongoBulkWriteError } from 'mongodb';
import type { LogFilter } from '../../domain/logs/log-filter.js';
import type { LogPageBounds, LogRecord, LogRepository } from '../../domain/logs/log-model.js';
import { withSpan } from '../../telemetry.js';
import { COLLECTIONS } from './collections.js';
import { translateDriverError } from './driver-errors.js';
import { fromLogDoc, type LogDoc, toLogDoc } from './log-document.js';
import { NEWEST_FIRST, olderThan, toMongoFilter } from './log-filter-query.js';

const DUPLICATE_KEY = 11000;
const DB_ATTRS = { 'db.system': 'mongodb', 'db.collection.name': COLLECTIONS.logs };

export function createLogRepository(db: Db): LogRepository {
  const col: Collection<LogDoc> = db.collection(COLLECTIONS.logs);
  return {
    insertMany: (records) =>
      withSpan('db logs.insertMany', { ...DB_ATTRS, 'db.operation.batch.size': records.length }, async () => {
        try {
          await col.insertMany(records.map(toLogDoc), { ordered: false });
          return records;
        } catch (err) {
          // Ids already stored are retries of the same logs: keep the first copy. Anything else is a failure.
          const onlyDuplicates =
            err instanceof MongoBulkWriteError &&
            Array.isArray(err.writeErrors) &&
            err.writeErrors.length > 0 &&
            err.writeErrors.every((e) => e.code === DUPLICATE_KEY);
          if (!onlyDuplicates) throw translateDriverError(err);
          // Unordered inserts report each refused document by its index in the batch; the rest were stored.
          const refused = new Set((err as MongoBulkWriteError & { writeErrors: { index: number }[] }).writeErrors.map((e) => e.index));
          return records.filter((_r, i) => !refused.has(i));
        }
      }),
    findById: (id) =>
      withSpan('db logs.findOne', DB_ATTRS, async () => {
        const doc = await col.findOne({ _id: id });
        return doc && fromLogDoc(doc);
      }),
    findByTrace: (workspaceId, traceId, limit) =>
      withSpan('db logs.find trace', DB_ATTRS, async () => {
        const docs = await col.find({ workspace_id: workspaceId, trace_id: traceId }).sort({ created_at: 1, _id: 1 }).limit(limit).toArray();
        return docs.map(fromLogDoc);
      }),
    async deleteCreatedBefore(cutoff) {
      return (await col.deleteMany({ created_at: { $lt: cutoff } })).deletedCount;
    },
    countMatching: (workspaceId, filter, page = {}) =>
      withSpan('db logs.count filtered', DB_ATTRS, async () => {
        if (page.limit === 0) return 0;
        // skip/limit in the count itself: the server stops counting at the limit instead of scanning on.
        return col.countDocuments(toMongoFilter(workspaceId, filter), {
          ...(page.offset ? { skip: page.offset } : {}),
          ...(page.limit ? { limit: page.limit } : {}),
        });
      }),
    streamMatching: (workspaceId, filter, page, opts) => streamMatching(col, workspaceId, filter, page, opts?.batchSize, opts?.withoutHeaders),
    listMatching: (workspaceId, filter, { first, after }) =>
      withSpan('db logs.find page', DB_ATTRS, async () => {
        if (first <= 0) return [];
        const q = toMongoFilter(workspaceId, filter);
        // Appended with $and so it cannot collide with the filter's own $or (provider/model pairs).
        if (after) q.$and = [...(q.$and ?? []), olderThan(after)];
        const docs = await col.find(q).sort(NEWEST_FIRST).limit(first).toArray();
        return docs.map(fromLogDoc);
      }),
  };
}

/**
 * A real cursor, converted row by row: exports of millions of rows hold one batch in memory at a time.
 * Breaking out of the loop (cancel, error) closes the server cursor through `finally`.
 */
async function* streamMatching(
  col: Collection<LogDoc>,
  workspaceId: string,
  filter: LogFilter,
  page: LogPageBounds,
  batchSize = 1000,
  withoutHeaders = false,
): AsyncGenerator<LogRecord> {
  if (page.limit === 0) return;
  // Leaving out what the reader will not use saves a decode and two JSON.parse calls per row.
  const projection = withoutHeaders ? { request_headers: 0, response_headers: 0 } : undefined;
  const cursor = col.find(toMongoFilter(workspaceId, filter), { projection }).sort(NEWEST_FIRST).batchSize(batchSize);
  if (page.offset) cursor.skip(page.offset);
  if (page.limit) cursor.limit(page.limit);
  try {
    for await (const doc of cursor) yield fromLogDoc(doc);
  } finally {
    await cursor.close();
  }
}
