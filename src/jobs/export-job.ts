import { exponential } from 'agenda';
import { z } from 'zod';
import { runExport, type RunExportDeps } from '../domain/exports/run-export.js';
import type { JobDefinition } from './scheduler.js';

export const EXPORT_JOB = 'logs.export';

const payload = z.object({ exportId: z.string().min(1), run: z.number().int().min(1) });

/**
 * Thin handler: validate the payload, run the domain operation. A run records its own failures on the
 * export; only when even that is impossible (database down) does the job throw and Agenda retry it.
 */
export function exportJob(deps: Omit<RunExportDeps, 'heartbeat'>): JobDefinition {
  return {
    name: EXPORT_JOB,
    lockLifetimeMs: 30_000,
    backoff: exponential({ delay: 2000, maxDelay: 60_000, maxRetries: 8 }),
    async run(job, log) {
      const data = payload.safeParse(job.attrs.data);
      if (!data.success) {
        log.error({ issues: data.error.issues }, 'invalid export job payload; dropped');
        return;
      }
      const outcome = await runExport({ ...deps, heartbeat: () => job.touch() }, data.data);
      // The holder of the run may die; failing here makes Agenda retry (with backoff) until the run is
      // finished by someone, or its lease expires and this job takes it over.
      if (outcome === 'busy') throw new Error(`export ${data.data.exportId} run ${data.data.run} is held by another worker`);
      log.info({ exportId: data.data.exportId, run: data.data.run, outcome }, 'export run finished');
    },
  };
}
