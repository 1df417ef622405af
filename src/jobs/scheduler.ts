import { MongoBackend } from '@agendajs/mongo-backend';
import { Agenda, type Job } from 'agenda';
import type { Db } from 'mongodb';
import type { Logger } from 'pino';
import { COLLECTIONS } from '../storage/mongo/collections.js';

export interface JobDefinition {
  name: string;
  /** Cron or human interval for recurring jobs; undefined for on-demand jobs. */
  every?: string;
  lockLifetimeMs?: number;
  run(job: Job, log: Logger): Promise<void>;
}

export interface Scheduler {
  agenda: Agenda;
  /** Processes jobs in this process (ROLE=worker or all). */
  startWorker(): Promise<void>;
  stop(timeoutMs: number): Promise<void>;
}

/** Agenda on the same database. The API role only enqueues; workers lock and run jobs. */
export async function createScheduler(db: Db, logger: Logger, definitions: JobDefinition[]): Promise<Scheduler> {
  const agenda = new Agenda({
    backend: new MongoBackend({ mongo: db, collection: COLLECTIONS.jobs }),
    processEvery: '2 seconds',
    maxConcurrency: 4,
    defaultLockLifetime: 60_000,
  });
  const log = logger.child({ component: 'jobs' });
  for (const def of definitions) {
    agenda.define(
      def.name,
      async (job: Job) => {
        const jobLog = log.child({ job: def.name, jobId: String(job.attrs._id) });
        try {
          await def.run(job, jobLog);
        } catch (err) {
          jobLog.error({ err }, 'job failed');
          throw err;
        }
      },
      { lockLifetime: def.lockLifetimeMs ?? 60_000 },
    );
  }
  let started = false;
  return {
    agenda,
    async startWorker() {
      await agenda.start();
      started = true;
      for (const def of definitions) if (def.every) await agenda.every(def.every, def.name);
      log.info({ jobs: definitions.map((d) => d.name) }, 'job worker started');
    },
    async stop(timeoutMs) {
      if (!started) return;
      await agenda.drain(timeoutMs).catch(() => undefined);
      await agenda.stop();
    },
  };
}
