import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteFinishedJobs } from '../../src/storage/mongo/job-cleanup.js';
import { createExport, startExport, until, waitForStatus } from '../helpers/exports.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { chatLog, ingest } from '../logs/fixtures.js';

/** Agenda keeps every finished job document; the hourly housekeeping removes finished one-off jobs. */
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ JOBS_POLL_INTERVAL_MS: '100' });
});
afterAll(() => s.stop());

describe('finished job documents', () => {
  it('are removed once older than the cut-off; recurring and unfinished jobs stay', async () => {
    await ingest(s, [chatLog(), chatLog()]);
    const { id } = await createExport(s, { filters: {}, requested_data: ['id'] });
    await startExport(s, id);
    await waitForStatus(s, id, 'success');
    const jobs = s.app.database.db.collection('jobs');
    await until(
      'the export job to be finished',
      () => jobs.findOne({ 'data.exportId': id, lastFinishedAt: { $ne: null }, lockedAt: null }),
      (j) => j !== null,
    );
    expect(await jobs.findOne({ name: 'housekeeping' })).not.toBeNull();

    expect(await deleteFinishedJobs(s.app.database.db, new Date(Date.now() - 3_600_000))).toBe(0); // too recent
    expect(await deleteFinishedJobs(s.app.database.db, new Date(Date.now() + 1000))).toBe(1);
    expect(await jobs.countDocuments({ 'data.exportId': id })).toBe(0);
    expect(await jobs.findOne({ name: 'housekeeping' })).not.toBeNull();
  });
});
