import { randomBytes } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createExport, downloadExport, fileText, getExport, parseJsonl, startExport, until } from '../helpers/exports.js';
import { wsClient } from '../helpers/graphql.js';
import { call } from '../helpers/http.js';
import { ROOT_KEY, testEnv } from '../helpers/server.js';
import { wsSubscribe } from '../helpers/typed.js';
import { chatLog } from '../logs/fixtures.js';
import { emptyReport, missingLogs, record } from './load.js';
import { type LogportProcess, startLogport } from './processes.js';
import { dropWithSegments } from '../helpers/drop-database.js';

/**
 * Logport as an operator deploys it: two ROLE=api processes and one ROLE=worker process on one database, each
 * started from the entry point. Faults are injected from outside: SIGKILL of the worker mid-export, SIGTERM of an
 * API process under load.
 */
const ROWS = 1500;
const env = testEnv({ JOBS_POLL_INTERVAL_MS: '100', SHUTDOWN_TIMEOUT_MS: '10000' });
const procs: LogportProcess[] = [];
let api1: LogportProcess;
let api2: LogportProcess;
let mongo: MongoClient;

beforeAll(async () => {
  [api1, api2] = await Promise.all([startLogport({ ...env, ROLE: 'api' }), startLogport({ ...env, ROLE: 'api' })]);
  procs.push(api1, api2);
  mongo = await new MongoClient(inject('mongoUri')).connect();
}, 120_000);

afterAll(async () => {
  for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  if (mongo) await dropWithSegments(mongo.db(env.MONGODB_DB!)).catch(() => undefined);
  await mongo?.close();
});

/**
 * ~11 KB logs numbered through metadata, so an export of them (~16 MB) runs for seconds: progress is saved once a
 * second, and the worker must still be mid-run when the test sees that progress and kills it.
 */
function bigLog(batch: string, n: number) {
  const log = chatLog({ id: `${batch}-${n}`, metadata: { batch, n } });
  // Random text: stored bodies are deflated, and repeated text would shrink to nothing and export at once.
  (log.request.body as { messages: { content: string }[] }).messages[1]!.content = `Request ${n}: ${randomBytes(8000).toString('base64')}`;
  return log;
}

const gridFsFiles = (exportId: string) =>
  mongo
    .db(env.MONGODB_DB!)
    .collection('export_files.files')
    .countDocuments({ _id: { $gte: `${exportId}.`, $lt: `${exportId}.\uffff` } as never });

describe('three processes on one database', () => {
  it('ingest through both APIs; an export survives SIGKILL of its worker, finishes once, watched from the other API', async () => {
    // Ingest through both API processes, alternating.
    for (let i = 0; i < ROWS; i += 150) {
      const url = (i / 150) % 2 === 0 ? api1.url! : api2.url!;
      const res = await call(url, 'POST', '/v1/logs', { body: Array.from({ length: 150 }, (_, k) => bigLog('mp', i + k)) });
      expect(res.status).toBe(200);
    }
    const worker1 = await startLogport({ ...env, ROLE: 'worker' });
    procs.push(worker1);

    const { id, total } = await createExport({ url: api1.url! }, { filters: { metadata: { batch: 'mp' } }, requested_data: ['id', 'metadata', 'request'] });
    expect(total).toBe(ROWS);
    // Watched from the other API process.
    const ws = wsClient(api2.url!, { apiKey: ROOT_KEY });
    const sub = wsSubscribe<{ exportStatusChanged: { status: string; total: number } }>(
      ws,
      'subscription($id: ID!) { exportStatusChanged(id: $id) { status total } }',
      { id },
    );
    await startExport({ url: api1.url! }, id);
    await until(
      'the export to be mid-run',
      () => getExport({ url: api2.url! }, id),
      (e) => {
        if (e.status !== 'in_progress') throw new Error(`the export ended (${e.status}) before the worker could be killed mid-run`);
        return e.progress > 0;
      },
      30_000,
      20,
    );
    worker1.child.kill('SIGKILL');
    await worker1.exited;
    expect((await getExport({ url: api1.url! }, id)).status).toBe('in_progress');
    const worker2 = await startLogport({ ...env, ROLE: 'worker' });
    procs.push(worker2);

    await until(
      'the subscription to see success',
      async () => sub.events.map((e) => e.data?.exportStatusChanged.status),
      (s) => s.includes('SUCCESS') || s.includes('FAILED'),
      90_000,
      200,
    );
    const statuses = sub.events.map((e) => e.data?.exportStatusChanged.status);
    expect(statuses.at(-1)).toBe('SUCCESS');
    expect(statuses.filter((s) => s === 'SUCCESS')).toHaveLength(1);
    await ws.dispose();

    const rows = parseJsonl(fileText((await downloadExport({ url: api2.url! }, id)).file.bytes));
    expect(rows).toHaveLength(ROWS);
    expect(new Set(rows.map((r) => Number(r.metadata.n))).size).toBe(ROWS);
    expect(await gridFsFiles(id)).toBe(1);
    console.log(
      `[fault] worker SIGKILL mid-export: ${ROWS} rows exported once by the replacement worker, 1 file, subscription on the other API saw ${statuses.join(' > ')}`,
    );
  }, 150_000);

  it('SIGTERM of an API process under load: in-flight requests finish, new ones go to the other, nothing acknowledged is lost', async () => {
    const report = emptyReport();
    let stop = false;
    let redirected = 0;
    // Clients send to api1 and, once it refuses connections, to api2 (as a load balancer would).
    let api1Gone = false;
    const urls = () => (api1Gone ? [api2.url!] : [api1.url!]);
    const load = (async () => {
      let seq = 0;
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (!stop) {
            const ids = Array.from({ length: 20 }, () => `term-${seq++}`);
            const body = ids.map((i) => chatLog({ id: i }));
            let res: Awaited<ReturnType<typeof call>>;
            try {
              res = await call(urls()[0]!, 'POST', '/v1/logs', { body });
            } catch {
              // No answer (connection refused or closed before a response): the client sends it to the other API.
              // Ids make the resend safe whatever the first attempt did.
              api1Gone = true;
              redirected++;
              res = await call(api2.url!, 'POST', '/v1/logs', { body });
            }
            record(report, res.status, res.headers.get('retry-after'));
            if (res.status === 200) report.acknowledged.push(...ids);
          }
        }),
      );
    })();
    await until(
      'load to run',
      async () => report.attempts,
      (n) => n >= 10,
      30_000,
    );
    const termAt = Date.now();
    api1.child.kill('SIGTERM');
    const code = await Promise.race([api1.exited, new Promise<string>((r) => setTimeout(() => r('still running'), 20_000))]);
    const shutdownMs = Date.now() - termAt;
    const okBefore = report.okAt.length;
    await until(
      'load to continue on the other API',
      async () => report.okAt.length - okBefore,
      (n) => n >= 5,
      20_000,
    );
    stop = true;
    await load;
    const lost = await missingLogs(api2.url!, report.acknowledged);
    console.log(
      `[fault] API SIGTERM under load: exit ${code} after ${shutdownMs} ms, ${report.attempts} batches, statuses ${JSON.stringify(report.byStatus)}, ` +
        `${redirected} resent to the other API, acknowledged ${report.acknowledged.length}, lost ${lost.length}`,
    );
    expect(code).toBe(0);
    expect(shutdownMs).toBeLessThan(10_000);
    expect(report.unexpected5xx).toBe(0);
    expect(Object.keys(report.byStatus)).toEqual(['200']);
    expect(lost).toEqual([]);
  }, 90_000);
});
