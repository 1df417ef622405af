import type { RunClaims } from '../domain/exports/export-model.js';
import { runExclusively } from './exclusive.js';
import type { JobDefinition } from './scheduler.js';

export const HOUSEKEEPING_JOB = 'housekeeping';
/** Finished one-off jobs are kept this long (for inspection), then removed. */
export const KEEP_FINISHED_JOBS_MS = 24 * 3_600_000;

export interface HousekeepingDeps {
  deleteFinishedJobs(before: Date): Promise<number>;
  claims: RunClaims;
}

/** Hourly clean-up of what the job queue leaves behind; one run at a time across workers. */
export function housekeepingJob(deps: HousekeepingDeps): JobDefinition {
  return {
    name: HOUSEKEEPING_JOB,
    every: '1 hour',
    async run(_job, log) {
      await runExclusively(deps.claims, HOUSEKEEPING_JOB, async () => {
        const jobs = await deps.deleteFinishedJobs(new Date(Date.now() - KEEP_FINISHED_JOBS_MS));
        log.info({ finishedJobsRemoved: jobs }, 'housekeeping done');
      });
    },
  };
}
