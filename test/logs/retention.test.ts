import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { call } from '../helpers/http.js';
import { poll } from '../helpers/typed.js';
import { chatLog, countLogs, getLog, ingest } from './fixtures.js';

const DAY = 86_400_000;
const daysAgo = (n: number) => new Date(Date.now() - n * DAY).toISOString();

describe('retention with RETENTION_DAYS=30', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ RETENTION_DAYS: '30' });
  });
  afterAll(() => s.stop());

  it('the retention job is scheduled hourly', async () => {
    const job = await s.app.database.db.collection('jobs').findOne({ name: 'logs.retention' });
    expect(job).not.toBeNull();
    expect(job!.repeatInterval).toBe('1 hour');
  });

  it('a run deletes logs older than 30 days, in every workspace, and keeps the rest', async () => {
    const old = [
      ...(await ingest(s, [chatLog({ created_at: daysAgo(40) }), chatLog({ created_at: daysAgo(365) })])),
      ...(await ingest(s, chatLog({ created_at: daysAgo(31) }), { query: '?workspace_id=ws-archive' })),
    ];
    const recent = [
      ...(await ingest(s, [chatLog({ created_at: daysAgo(29) }), chatLog()])),
      ...(await ingest(s, chatLog({ created_at: daysAgo(1) }), { query: '?workspace_id=ws-archive' })),
    ];
    // The scheduled run also fires once when the worker starts, so the old logs may already be gone here;
    // that they were accepted (three ids) is what this step can rely on.
    expect(old).toHaveLength(3);
    expect(await countLogs(s, { _id: { $in: recent } })).toBe(3);

    await s.app.scheduler.agenda.now('logs.retention');
    await poll(
      'the retention run to delete the old logs',
      () => countLogs(s, { _id: { $in: old } }),
      (n) => n === 0,
      15_000,
      250,
    );

    for (const id of old) expect((await getLog(s, id)).status).toBe(404);
    expect(await countLogs(s, { _id: { $in: recent } })).toBe(3);
    for (const id of recent) expect((await getLog(s, id)).status).toBe(200);

    // Analytics forget the deleted logs too: a graph over two years counts what is still stored.
    const range = { time_of_generation_min: daysAgo(730), time_of_generation_max: new Date(Date.now() + DAY).toISOString() };
    for (const [ws, kept] of [
      ['default', 2],
      ['ws-archive', 1],
    ] as const) {
      const graph = await call(s.url, 'GET', `/v1/analytics/graphs/requests?${new URLSearchParams(range)}`, {
        headers: { 'x-portkey-workspace-id': ws },
      });
      expect(graph.status, JSON.stringify(graph.body)).toBe(200);
      expect(graph.body.summary.total).toBe(kept);
    }
  });
});

describe('retention without RETENTION_DAYS', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('no retention job exists and old logs are kept', async () => {
    const [ancient] = await ingest(s, chatLog({ created_at: daysAgo(3650) }));
    expect(await s.app.database.db.collection('jobs').countDocuments({ name: 'logs.retention' })).toBe(0);
    expect(s.app.scheduler.agenda.definitions['logs.retention']).toBeUndefined();
    // Give a worker tick (processEvery is 2 s) the chance to do something it should not.
    await new Promise((r) => setTimeout(r, 2500));
    const got = await getLog(s, ancient!);
    expect(got.status).toBe(200);
    expect(got.body.created_at.slice(0, 10)).toBe(daysAgo(3650).slice(0, 10));
  });
});
