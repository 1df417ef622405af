/**
 * npm run bench:web — first-data times of the web app's Logs and Traces pages in Chromium.
 *
 * Seeds BENCH_ROWS (default 10,000) ~2 KB logs (each its own trace root) through the domain's ingest path, runs the
 * compiled server as its own process, and opens each page BENCH_RUNS times (default 3) in headless Chromium,
 * timing navigation to the first data row, with the server's CPU time per load. Prints one line per page:
 *   <page>: first data <median> ms (runs …), server CPU <s> per load
 * The database is BENCH_DB / MONGODB_URI as for the other benchmarks (scripts/bench/harness.ts).
 */
import { MongoClient } from 'mongodb';
import { chromium } from 'playwright-core';
import { ingestLogs } from '../src/domain/logs/ingest-logs.js';
import { createLogRepository } from '../src/storage/mongo/log-repository.js';
import { CHROMIUM, CHROMIUM_FLAGS } from '../test/browser/web-build.js';
import { chatLog } from './bench/chat-log.js';
import { buildServer, cpuSeconds, startDatabase, startServer } from './bench/harness.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const WS = 'bench-web';

buildServer();
const db = await startDatabase();
const server = await startServer(db.uri, { PUBLIC_URL: 'http://127.0.0.1' });
const client = await new MongoClient(db.uri).connect();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
try {
  const repo = createLogRepository(client.db(server.dbName));
  const actor = { keyId: 'bench', name: 'bench', kind: 'organisation' as const, organisationId: 'default', scopes: new Set(['logs.write']), isRoot: true };
  for (let i = 0; i < ROWS; i += 1000) {
    await ingestLogs(repo, actor, { workspaceId: WS, body: Array.from({ length: Math.min(1000, ROWS - i) }, (_, j) => chatLog(i + j)) });
  }
  const viewer = (
    (await (
      await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-portkey-api-key': server.key },
        body: JSON.stringify({ query: '{ viewer { keyId name kind organisationId workspaceId scopes } }' }),
      })
    ).json()) as { data: { viewer: unknown } }
  ).data.viewer;

  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  // Signed in as the app does it: the key and viewer in sessionStorage.
  const set = (k: string, v: string) => `sessionStorage.setItem(${JSON.stringify(k)}, ${JSON.stringify(v)});`;
  await context.addInitScript(set('logport.apiKey', server.key) + set('logport.viewer', JSON.stringify(viewer)) + set('logport.workspace', WS));
  const page = await context.newPage();
  page.setDefaultTimeout(600_000);
  for (const [name, hash, row] of [
    ['logs', '#/logs', '.logs-table tbody tr'],
    ['logs by cost', '#/logs?sort=COST:desc', '.logs-table tbody tr'],
    ['traces', '#/traces', '.traces-table tbody tr'],
  ] as const) {
    const times: number[] = [];
    let cpu = 0;
    for (let r = 0; r < RUNS; r++) {
      await page.goto('about:blank');
      const before = cpuSeconds(server.pid);
      const t0 = Date.now();
      await page.goto(`${server.url}/${hash}`);
      await page.locator(row).first().waitFor();
      times.push(Date.now() - t0);
      cpu += cpuSeconds(server.pid) - before;
    }
    const median = [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)];
    console.log(
      `${name} (${ROWS.toLocaleString('en-US')} logs): first data ${median} ms (runs ${times.join(', ')} ms), server CPU ${(cpu / RUNS).toFixed(2)} s per load`,
    );
  }
} finally {
  await browser.close();
  await client.close();
  await server.stop();
  await db.stop();
}
