import type { Job } from 'agenda';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { retentionJob } from '../../src/jobs/retention-job.js';
import { createRunClaims } from '../../src/storage/mongo/run-claims.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/**
 * The hourly retention job must never run on top of itself: Agenda's lock lapses after its lifetime (and is not
 * atomic on FerretDB), so two workers, or one slow run and the next, could both be deleting at once.
 */
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer();
});
afterAll(() => s.stop());

describe('retention runs', () => {
  it('two workers starting the retention job at once: one deletes, the other skips; later runs go ahead', async () => {
    let running = 0;
    let overlapped = false;
    let runs = 0;
    const logs = {
      ...s.app.services.logs,
      // The real deletion, made slow enough to be overlapped.
      async enforceRetention(days: number) {
        runs++;
        running++;
        overlapped ||= running > 1;
        await new Promise((r) => setTimeout(r, 500));
        try {
          return await s.app.services.logs.enforceRetention(days);
        } finally {
          running--;
        }
      },
    };
    // Two workers: each with its own claims (as two processes on one database would have).
    const workers = [retentionJob(logs, 30, createRunClaims(s.app.database.db)), retentionJob(logs, 30, createRunClaims(s.app.database.db))];
    const log = pino({ level: 'silent' });
    await Promise.all(workers.map((w) => w.run({} as Job, log)));
    expect(overlapped).toBe(false);
    expect(runs).toBe(1);
    await workers[1]!.run({} as Job, log);
    expect(runs).toBe(2);
  });
});
