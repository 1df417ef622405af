import type { LogService } from '../domain/logs/log-service.js';
import type { JobDefinition } from './scheduler.js';

export const RETENTION_JOB = 'logs.retention';

/** Hourly deletion of logs older than RETENTION_DAYS (a job, because FerretDB has no TTL indexes). */
export function retentionJob(logs: LogService, days: number): JobDefinition {
  return {
    name: RETENTION_JOB,
    every: '1 hour',
    async run(_job, log) {
      const { deleted, cutoff } = await logs.enforceRetention(days);
      log.info({ deleted, cutoff }, 'retention applied');
    },
  };
}
