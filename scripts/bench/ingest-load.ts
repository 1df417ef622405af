/**
 * The load process of `npm run bench:ingest`: posts batches of chat logs to a running server with a few
 * keep-alive connections for a fixed time, then prints one JSON line with what it achieved.
 */
import { Agent, request } from 'node:http';
import { chatLog } from './chat-log.js';

const [url, key, seconds, concurrency, batchSize] = [
  process.env.BENCH_URL!,
  process.env.BENCH_KEY!,
  Number(process.env.BENCH_SECONDS ?? 10),
  Number(process.env.BENCH_CONCURRENCY ?? 4),
  Number(process.env.BENCH_BATCH ?? 100),
];
const target = new URL('/v1/logs', url);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });

// Pre-built distinct bodies, so the load process spends its CPU on sending, not on building JSON.
const bodies = Array.from({ length: 64 }, (_, b) => Buffer.from(JSON.stringify(Array.from({ length: batchSize }, (_, i) => chatLog(b * batchSize + i)))));

function post(body: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length, 'x-portkey-api-key': key } },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const deadline = Date.now() + seconds * 1000;
let logs = 0;
let failures = 0;
let n = 0;
const started = Date.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (Date.now() < deadline) {
      const status = await post(bodies[n++ % bodies.length]!);
      if (status === 200) logs += batchSize;
      else failures++;
    }
  }),
);
const elapsed = (Date.now() - started) / 1000;
process.stdout.write(`${JSON.stringify({ logs, failures, elapsed, bytesPerLog: Math.round(bodies[0]!.length / batchSize) })}\n`);
agent.destroy();
