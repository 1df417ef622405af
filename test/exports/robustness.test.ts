import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createExport,
  downloadExport,
  exportCall,
  fileText,
  getExport,
  gridFsFor,
  parseJsonl,
  seedLogs,
  startExport,
  until,
  waitForStatus,
} from '../helpers/exports.js';
import { startTestServer, testEnv, type TestServer } from '../helpers/server.js';
import { chatLog } from '../logs/fixtures.js';

/** Cancel mid-run, a worker killed mid-run, and several exports running at once. */

const ROWS = 3000;
const FIELDS = ['id', 'created_at', 'request', 'response', 'metadata'];

/** ~2.6 KB realistic logs, numbered through metadata. */
function bigLogs(n: number, tag: string) {
  return Array.from({ length: n }, (_, i) => {
    const log = chatLog({ metadata: { batch: tag, n: i } });
    (log.request.body as { messages: { content: string }[] }).messages[1]!.content = `Request ${i}: ${'lorem ipsum dolor sit amet '.repeat(60)}`;
    return log;
  });
}

/** The Agenda job of an export once it has finished and released its lock (null while it runs). */
async function finishedJob(s: TestServer, exportId: string) {
  return s.app.database.db.collection('jobs').findOne({ 'data.exportId': exportId, lastFinishedAt: { $ne: null }, lockedAt: null });
}

/** Waits until a run has written rows (saved progress, or GridFS chunks of its file; `chunks` asks for the latter). */
function midRun(s: TestServer, id: string, opts: { chunks?: boolean } = {}) {
  return until(
    `export ${id} to be mid-run`,
    async () => ({ e: await getExport(s, id), g: await gridFsFor(s, id) }),
    ({ e, g }) => e.status !== 'in_progress' || g.chunks > 0 || (!opts.chunks && e.progress > 0),
    20_000,
    20,
  );
}

describe('cancel mid-run', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ JOBS_POLL_INTERVAL_MS: '100' });
    await seedLogs(s, bigLogs(ROWS, 'cancel'));
  }, 120_000);
  afterAll(() => s.stop());

  it('a running export cancelled mid-run is stopped within seconds and leaves no file in GridFS', async () => {
    const { id, total } = await createExport(s, { filters: { metadata: { batch: 'cancel' } }, requested_data: FIELDS });
    expect(total).toBe(ROWS);
    await startExport(s, id);
    const { e } = await midRun(s, id);
    expect(e.status).toBe('in_progress'); // still running when cancelled
    const cancelled = await exportCall(s, 'POST', `/${id}/cancel`, { body: {} });
    expect(cancelled.status).toBe(200);
    expect((await getExport(s, id)).status).toBe('stopped');

    const cancelledAt = Date.now();
    await until(
      'the job to notice the cancel',
      () => finishedJob(s, id),
      (j) => j !== null,
      10_000,
    );
    expect(Date.now() - cancelledAt).toBeLessThan(5000);
    expect(await gridFsFor(s, id)).toEqual({ files: [], chunks: 0 });
    const after = await getExport(s, id);
    expect(after.status).toBe('stopped');
    expect(after.progress).toBeLessThan(ROWS);
    expect((await exportCall(s, 'GET', `/${id}/download`)).status).toBe(409);

    // Start Again runs it from the start: every row once, one file.
    await startExport(s, id);
    expect(await waitForStatus(s, id, ['success', 'failed'], { timeoutMs: 30_000 })).toMatchObject({ status: 'success', total_records: ROWS });
    const rows = parseJsonl(fileText((await downloadExport(s, id)).file.bytes));
    expect(new Set(rows.map((r) => Number(r.metadata.n)))).toEqual(new Set(Array.from({ length: ROWS }, (_, i) => i)));
    expect(rows).toHaveLength(ROWS);
    expect((await gridFsFor(s, id)).files).toHaveLength(1);
  }, 60_000);
});

describe('several exports at once', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ JOBS_POLL_INTERVAL_MS: '100' });
  });
  afterAll(() => s.stop());

  it('exports started together each end success with their own complete, downloadable file', async () => {
    const models = Array.from({ length: 24 }, (_, i) => `ft:gpt-4o-mini:acme:v${i + 1}`);
    await seedLogs(
      s,
      models.flatMap((model, i) =>
        Array.from({ length: (i % 3) + 1 }, () => chatLog({ request: { url: 'https://api.openai.com/v1/chat/completions', body: { model, messages: [] } } })),
      ),
    );
    const ids = await Promise.all(
      models.map(async (model) => (await createExport(s, { filters: { ai_model: model }, requested_data: ['id', 'ai_model'] })).id),
    );
    await Promise.all(ids.map((id) => startExport(s, id)));
    await until(
      'every export to finish',
      () => Promise.all(ids.map((id) => getExport(s, id))),
      (all) => all.every((e) => e.status !== 'in_progress'),
      40_000,
      200,
    );
    // One line per export, so a failure shows every broken one at once.
    const outcomes = await Promise.all(
      ids.map(async (id, i) => {
        const e = await getExport(s, id);
        const link = await exportCall(s, 'GET', `/${id}/download`);
        let file = `file ${link.status}`;
        let rows: any[] = [];
        if (link.status === 200) {
          // A file whose chunks are gone answers 200 and then never completes: bound the read.
          const res = await fetch(link.body.signed_url, { signal: AbortSignal.timeout(5000) }).catch(() => undefined);
          const text = await res?.text().catch(() => undefined);
          file = text === undefined ? 'file hung' : `file ${res!.status}`;
          if (res?.status === 200 && text !== undefined) rows = parseJsonl(text);
        }
        const good = rows.length === (i % 3) + 1 && rows.every((r) => r.ai_model === models[i]);
        return `${models[i]}: ${e.status}, ${file}, ${good ? 'rows ok' : `${rows.length} rows`}, ${(await gridFsFor(s, id)).files.length} file(s)`;
      }),
    );
    expect(outcomes).toEqual(models.map((m) => `${m}: success, file 200, rows ok, 1 file(s)`));
  }, 60_000);
});

/** Starts the real entry point as a worker process; resolves once its job worker runs. */
function startWorker(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH!, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.includes('job worker started')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`worker exited early with ${code}`)));
  });
  return { child, ready };
}

describe('a worker killed mid-run', () => {
  let api: TestServer;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    api = await startTestServer({ ROLE: 'api', JOBS_POLL_INTERVAL_MS: '100' });
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await api.stop();
  });

  it('kill -9 of the worker mid-run: a second worker finishes it with exactly the matching rows, one file', async () => {
    const seeded = await seedLogs(api, bigLogs(ROWS, 'crash'));
    await seedLogs(api, bigLogs(50, 'other'));
    const env = testEnv({ ROLE: 'worker', JOBS_POLL_INTERVAL_MS: '100', MONGODB_DB: api.dbName });
    const first = startWorker(env);
    children.push(first.child);
    await first.ready;

    const { id, total } = await createExport(api, { filters: { metadata: { batch: 'crash' } }, requested_data: FIELDS });
    expect(total).toBe(ROWS);
    await startExport(api, id);
    const { e } = await midRun(api, id, { chunks: true });
    expect(e.status).toBe('in_progress');
    const exited = new Promise((r) => first.child.once('exit', r));
    first.child.kill('SIGKILL');
    await exited;
    expect((await getExport(api, id)).status).toBe('in_progress');
    expect((await gridFsFor(api, id)).chunks).toBeGreaterThan(0); // the dead run's partial file

    const second = startWorker(env);
    children.push(second.child);
    await second.ready;
    // The dead worker's job lock (30 s) must lapse before another worker takes the job over.
    const done = await waitForStatus(api, id, ['success', 'failed'], { timeoutMs: 60_000 });
    expect(done).toMatchObject({ status: 'success', total_records: ROWS, progress: ROWS });

    const { file } = await downloadExport(api, id);
    const rows = parseJsonl(fileText(file.bytes));
    expect(rows).toHaveLength(ROWS);
    expect(new Set(rows.map((r) => r.id)).size).toBe(ROWS);
    expect(new Set(rows.map((r) => r.id))).toEqual(new Set(seeded));
    expect(rows.every((r) => r.metadata.batch === 'crash')).toBe(true);
    const { files, chunks } = await gridFsFor(api, id);
    expect(files).toHaveLength(1);
    expect(chunks).toBe(Math.ceil(file.bytes.length / (255 * 1024)));
  }, 100_000);
});
