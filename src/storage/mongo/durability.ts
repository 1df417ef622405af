import { ReadPreference, type WriteConcernSettings } from 'mongodb';

/**
 * MONGODB_WRITE_CONCERN: `majority` (default) or a number of members (>= 1); the journal is always on.
 * With `majority` + journal, a write is acknowledged once most replica-set members have it in their on-disk
 * journal, so no failover or crash can roll it back. On a standalone server it means "journaled".
 */
export function writeConcernFor(setting: string): WriteConcernSettings {
  return { w: setting === 'majority' ? 'majority' : Number(setting), journal: true };
}

/**
 * Export and run state is read from the primary whatever the URI's readPreference: a secondary may lag and
 * show a run as still claimed, or a finished export as in progress.
 */
export const STATE_READS = { readPreference: ReadPreference.PRIMARY } as const;
