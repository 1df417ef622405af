import { MongoBackend } from '@agendajs/mongo-backend';
import { Agenda, type BackoffStrategy, type Job } from 'agenda';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { COLLECTIONS } from '../storage/mongo/collections.js';
import { withSpan } from '../telemetry.js';

export interface JobDefinition {
  name: string;
  /** Cron or human interval for recurring jobs; undefined for on-demand jobs. */
  every?: string;
  lockLifetimeMs?: number;
  /** Retry failures with this strategy (Agenda retries nothing without one). */
  backoff?: BackoffStrategy;
  run(job: Job, log: Logger): Promise<void>;
}

export interface Scheduler {
  agenda: Agenda;
  /** Adds a job handler (before startWorker). */
  define(def: JobDefinition): void;
  /** Enqueues a one-off job; any worker may run it. */
  enqueue(name: string, data: unknown): Promise<void>;
  /** Processes jobs in this process (ROLE=worker or all). */
  startWorker(): Promise<void>;
  stop(timeoutMs: number): Promise<void>;
}

/** Agenda on the same database. The API role only enqueues; workers lock and run jobs. */
export async function createScheduler(db: Db, logger: Logger, opts: { pollIntervalMs: number }): Promise<Scheduler> {
  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: db, collection: COLLECTIONS.jobs }),
    processEvery: opts.pollIntervalMs,
    maxConcurrency: 4,
    defaultLockLifetime: 60_000,
  });
  const log = logger.child({ component: 'jobs' });
  const defined: JobDefinition[] = [];
  const define = (def: JobDefinition) => {
    defined.push(def);
    agenda.define(
      def.name,
      async (job: Job) => {
        const jobLog = log.child({ job: def.name, jobId: String(job.attrs._id) });
        try {
          // Each run is a span of Logport's own traces (a no-op unless OTLP export is configured).
          await withSpan(`job ${def.name}`, { 'logport.job.id': String(job.attrs._id) }, () => def.run(job, jobLog));
        } catch (err) {
          jobLog.error({ err }, 'job failed');
          throw err;
        }
      },
      { lockLifetime: def.lockLifetimeMs ?? 60_000, ...(def.backoff && { backoff: def.backoff }) },
    );
  };
  let started = false;
  return {
    agenda,
    define,
    async enqueue(name, data) {
      await agenda.now(name, data);
    },
    async startWorker() {
      await agenda.start();
      started = true;
      for (const def of defined) if (def.every) await agenda.every(def.every, def.name);
      log.info({ jobs: defined.map((d) => d.name) }, 'job worker started');
    },
    async stop(timeoutMs) {
      if (!started) return;
      await agenda.drain(timeoutMs).catch(() => undefined);
      await agenda.stop();
    },
  };
}
