import type { Db } from 'mongodb';
import { COLLECTIONS } from './collections.js';

/**
 * Removes Agenda documents of one-off jobs (export runs) that finished before `before`: Agenda keeps every
 * finished job forever. Recurring jobs (they have a next run) and jobs still locked are never touched.
 */
export async function deleteFinishedJobs(db: Db, before: Date): Promise<number> {
  const r = await db.collection(COLLECTIONS.jobs).deleteMany({
    type: 'normal',
    nextRunAt: null,
    lockedAt: null,
    lastFinishedAt: { $lt: before },
  });
  return r.deletedCount;
}
