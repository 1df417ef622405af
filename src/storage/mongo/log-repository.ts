import { type Collection, type Db, MongoBulkWriteError } from 'mongodb';
import type { LogRepository } from '../../domain/logs/log-model.js';
import { COLLECTIONS } from './collections.js';
import { fromLogDoc, type LogDoc, toLogDoc } from './log-document.js';

const DUPLICATE_KEY = 11000;

export function createLogRepository(db: Db): LogRepository {
  const col: Collection<LogDoc> = db.collection(COLLECTIONS.logs);
  return {
    async insertMany(records) {
      try {
        await col.insertMany(records.map(toLogDoc), { ordered: false });
      } catch (err) {
        // Ids already stored are retries of the same logs: keep the first copy. Anything else is a failure.
        const onlyDuplicates =
          err instanceof MongoBulkWriteError &&
          Array.isArray(err.writeErrors) &&
          err.writeErrors.length > 0 &&
          err.writeErrors.every((e) => e.code === DUPLICATE_KEY);
        if (!onlyDuplicates) throw err;
      }
    },
    async findById(id) {
      const doc = await col.findOne({ _id: id });
      return doc && fromLogDoc(doc);
    },
    async findByTrace(workspaceId, traceId, limit) {
      const docs = await col.find({ workspace_id: workspaceId, trace_id: traceId }).sort({ created_at: 1, _id: 1 }).limit(limit).toArray();
      return docs.map(fromLogDoc);
    },
    async deleteCreatedBefore(cutoff) {
      return (await col.deleteMany({ created_at: { $lt: cutoff } })).deletedCount;
    },
    count: (workspaceId) => col.countDocuments({ workspace_id: workspaceId }),
  };
}
