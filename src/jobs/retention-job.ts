import type { RunClaims } from '../domain/exports/export-model.js';
import type { LogService } from '../domain/logs/log-service.js';
import { runExclusively } from './exclusive.js';
import type { JobDefinition } from './scheduler.js';

export const RETENTION_JOB = 'logs.retention';

/**
 * Hourly deletion of logs older than RETENTION_DAYS (a job, because FerretDB has no TTL indexes). A run never
 * overlaps another, even on another worker: a slow deletion is not started again on top of itself.
 */
export function retentionJob(logs: LogService, days: number, claims: RunClaims): JobDefinition {
  return {
    name: RETENTION_JOB,
    every: '1 hour',
    async run(_job, log) {
      const ran = await runExclusively(claims, RETENTION_JOB, async () => {
        const { deleted, cutoff } = await logs.enforceRetention(days);
        log.info({ deleted, cutoff }, 'retention applied');
      });
      if (!ran) log.info('retention is already running on another worker; skipped');
    },
  };
}
