import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../helpers/http.js';
import { ROOT_KEY, startTestServer, type TestServer } from '../helpers/server.js';
import { chatLog } from '../logs/fixtures.js';
import { emptyReport, ingestUntil, missingLogs } from './load.js';

/**
 * The embedded database (FerretDB) killed with SIGKILL under ingest: the service restarts it, answers 503 +
 * Retry-After on every path while it is down, loses nothing it acknowledged, and exits non-zero when the
 * database cannot come back.
 */
let s: TestServer;
beforeAll(async () => {
  s = await startTestServer({ MONGODB_URI: '', LOG_LEVEL: process.env.FAULT_LOG_LEVEL ?? 'error' }); // errors shown: a 500 here must say what failed. No URI: the embedded, supervised FerretDB
});
afterAll(async () => s?.stop());

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const dbPort = () => s.app.database.client.options.hosts[0]!.port!;

/** Holds a TCP port so the database cannot be restarted on it (retrying while the killed server lets go). */
async function holdPort(port: number): Promise<Server> {
  for (let i = 0; ; i++) {
    try {
      return await new Promise<Server>((resolve, reject) => {
        const srv = createServer((sock) => sock.destroy());
        srv.once('error', reject);
        srv.listen(port, '127.0.0.1', () => resolve(srv));
      });
    } catch (err) {
      if (i > 200) throw err;
      await sleep(2);
    }
  }
}

async function waitHealthy(timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if ((await call(s.url, 'GET', '/healthz', { key: null })).status === 200) return;
    await sleep(50);
  }
  throw new Error('the service did not become healthy again');
}

describe('embedded database killed with SIGKILL', () => {
  it('keeps every acknowledged log, answers only 200 or 503 + Retry-After, and recovers within seconds', async () => {
    const report = emptyReport();
    let killedAt = 0;
    let stop = false;
    const load = ingestUntil([s.url], { clients: 4, batch: 50, prefix: 'kill', stop: () => stop, report });
    await sleep(1000);
    const before = report.attempts;
    killedAt = Date.now();
    process.kill(s.app.database.embeddedPid!(), 'SIGKILL');
    // Ingest on until the service answered 200s for two seconds after the kill (bounded).
    while (Date.now() - killedAt < 20_000) {
      const firstOk = report.okAt.find((t) => t > killedAt);
      if (firstOk && Date.now() - firstOk > 2000) break;
      await sleep(100);
    }
    stop = true;
    await load;
    const firstOk = report.okAt.find((t) => t > killedAt);
    const recoveryMs = firstOk ? firstOk - killedAt : Infinity;
    const lost = await missingLogs(s.url, report.acknowledged);
    console.log(
      `[fault] database SIGKILL under ingest: ${report.attempts} batches (${before} before the kill), statuses ${JSON.stringify(report.byStatus)}, ` +
        `acknowledged ${report.acknowledged.length} logs, lost ${lost.length}, 5xx other than 503: ${report.unexpected5xx}, recovery ${recoveryMs} ms`,
    );
    expect(lost).toEqual([]);
    expect(report.unexpected5xx).toBe(0);
    expect(report.missingRetryAfter).toBe(0);
    expect(recoveryMs).toBeLessThan(10_000);

    // Analytics add up to the stored logs, the refused batches' included: a batch can be stored and still get its
    // 503 when the rollups' write fails, and those figures are written with the next flush.
    const stored = async () => (await call(s.url, 'POST', '/graphql', { body: { query: '{ logs(first: 1) { totalCount } }' } })).body.data.logs.totalCount;
    const range = new URLSearchParams({
      time_of_generation_min: new Date(killedAt - 3_600_000).toISOString(),
      time_of_generation_max: new Date(Date.now() + 60_000).toISOString(),
    });
    const counted = async () => (await call(s.url, 'GET', `/v1/analytics/graphs/requests?${range}`)).body.summary.total;
    const total = await stored();
    expect(total).toBeGreaterThanOrEqual(report.acknowledged.length);
    let inAnalytics = await counted();
    for (let i = 0; i < 30 && inAnalytics !== total; i++) {
      await sleep(200);
      inAnalytics = await counted();
    }
    expect(inAnalytics).toBe(total);
    expect(s.app.database.embeddedPid!()).toBeGreaterThan(0);
    // Generous: on a busy machine reading back a few thousand logs one by one takes tens of seconds, and a
    // timeout would tear the database down under the reads still running (they then count as lost).
  }, 180_000);

  it('answers 503 with Retry-After on every path while the database is down, then recovers', async () => {
    const port = dbPort();
    process.kill(s.app.database.embeddedPid!(), 'SIGKILL');
    const blocker = await holdPort(port);
    try {
      await sleep(300);
      const span = {
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: 'b7ad6b7169203331',
        name: 'chat gpt-4o',
        kind: 3,
        startTimeUnixNano: '1700000000000000000',
        endTimeUnixNano: '1700000001000000000',
      };
      const otlp = { resourceSpans: [{ resource: { attributes: [] }, scopeSpans: [{ scope: { name: 'test' }, spans: [span] }] }] };
      const answers = {
        ingest: await call(s.url, 'POST', '/v1/logs', { body: chatLog() }),
        read: await call(s.url, 'GET', '/v1/logs/some-id'),
        otlp: await call(s.url, 'POST', '/v1/traces', { body: otlp }),
        graphql: await call(s.url, 'POST', '/graphql', { body: { query: '{ log(id: "some-id") { id } }' } }),
        trpc: await call(s.url, 'GET', `/trpc/logs.list?input=${encodeURIComponent(JSON.stringify({ first: 1 }))}`),
        exports: await call(s.url, 'GET', '/v1/logs/exports'),
        health: await call(s.url, 'GET', '/healthz', { key: null }),
      };
      const seen = Object.fromEntries(Object.entries(answers).map(([k, r]) => [k, `${r.status} retry-after=${r.headers.get('retry-after')}`]));
      for (const [path, r] of Object.entries(answers)) {
        expect(r.status, `${path}: ${JSON.stringify(seen)}`).toBe(503);
        if (path !== 'health') expect(r.headers.get('retry-after'), path).toMatch(/^\d+$/);
      }
    } finally {
      blocker.close();
    }
    const released = Date.now();
    await waitHealthy();
    console.log(`[fault] database held down: every path answered 503 + Retry-After; healthy ${Date.now() - released} ms after the port was freed`);
    const res = await call(s.url, 'POST', '/v1/logs', { body: chatLog({ id: 'after-outage' }) });
    expect(res.status).toBe(200);
  }, 180_000);
});

describe('embedded database that cannot come back', () => {
  it('makes the process exit non-zero so a process manager restarts it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'logport-giveup-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        ...process.env,
        MONGODB_URI: '',
        DATA_DIR: dataDir,
        PORT: '0',
        HOST: '127.0.0.1',
        ROOT_API_KEY: ROOT_KEY,
        LOG_LEVEL: 'info',
        EMBEDDED_DB_RESTARTS: '2',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const lines: string[] = [];
    let ferretPort: number | undefined;
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        lines.push(line);
        const m = /embedded FerretDB listening at mongodb:\/\/[^:]+:(\d+)/.exec(line);
        if (m) ferretPort = Number(m[1]);
        if (line.includes('logport listening')) resolve();
      });
      void exited.then(() => reject(new Error(`exited early:\n${lines.join('\n')}`)));
    });
    const ferretPid = Number((await execText('pgrep', ['-P', String(child.pid), '-f', 'ferretdb-launcher'])).trim());
    process.kill(ferretPid, 'SIGKILL');
    const blocker = await holdPort(ferretPort!);
    try {
      const code = await Promise.race([exited, sleep(30_000).then(() => 'timeout' as const)]);
      expect(code).toBe(1);
      const levels = lines.filter((l) => l.includes('FerretDB')).map((l) => JSON.parse(l).level as number);
      expect(levels.filter((l) => l >= 50).length, 'death and failed restarts are logged at error or above').toBeGreaterThanOrEqual(2);
    } finally {
      blocker.close();
      child.kill('SIGKILL');
    }
  }, 90_000);
});

function execText(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}`))));
  });
}
