import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { MongoClient } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { call } from '../helpers/http.js';
import { ROOT_KEY, testEnv } from '../helpers/server.js';
import { findStoredLogs } from '../helpers/stored-logs.js';
import { dropWithSegments } from '../helpers/drop-database.js';

const freePort = () =>
  new Promise<number>((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("Logport's own traces", () => {
  it('exported to itself: requests and database reads are traced, ingestion is not, and nothing loops', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const env = testEnv({ PORT: String(port), LOG_LEVEL: 'info' });
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        PATH: process.env.PATH!,
        ...env,
        OTEL_EXPORTER_OTLP_ENDPOINT: base,
        OTEL_EXPORTER_OTLP_HEADERS: `x-portkey-api-key=${ROOT_KEY}`,
        OTEL_BSP_SCHEDULE_DELAY: '200',
        OTEL_SERVICE_NAME: 'logport-self',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const mongo = await new MongoClient(env.MONGODB_URI!).connect();
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('logport listening') && resolve());
        child.once('exit', (c) => reject(new Error(`exited ${c}`)));
      });
      const ingested = await call(base, 'POST', '/v1/logs', {
        body: { request: { url: 'https://api.openai.com/v1/chat/completions', body: {} }, response: { body: {} } },
      });
      expect(ingested.status).toBe(200);
      expect((await call(base, 'GET', `/v1/logs/${ingested.body.data.log_ids[0]}`)).status).toBe(200);
      expect((await call(base, 'GET', '/v1/api-keys')).status).toBe(200);

      const selfSpans = () => findStoredLogs(mongo.db(env.MONGODB_DB), { source: 'otlp' });
      let names: string[] = [];
      // Background jobs are traced too: the housekeeping job runs once shortly after start.
      const expected = ['GET /v1/api-keys', 'db logs.findOne', 'job housekeeping'];
      for (let i = 0; i < 50 && !expected.every((n) => names.includes(n)); i++) {
        await sleep(200);
        names = (await selfSpans()).map((d) => d.span_name as string);
      }
      expect(names).toEqual(expect.arrayContaining(expected));
      expect(names.filter((n) => n.includes('/v1/traces') || n.includes('POST /v1/logs') || n.includes('insertMany'))).toEqual([]);

      // No feedback loop: with no new requests, the number of stored spans comes to rest (spans of the
      // requests above may still be in the exporter's next batch) and then stays put.
      let settled = (await selfSpans()).length;
      for (let i = 0; i < 10; i++) {
        await sleep(700);
        const now = (await selfSpans()).length;
        if (now === settled) break;
        settled = now;
      }
      await sleep(1500);
      expect((await selfSpans()).length).toBe(settled);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await dropWithSegments(mongo.db(env.MONGODB_DB));
      await mongo.close();
    }
  });
});
