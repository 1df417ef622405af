/**
 * The load process of `npm run bench:ingest`: posts batches of chat logs to a running server with a few
 * keep-alive connections for a fixed time, then prints one JSON line with what it achieved.
 */
import { chatLog } from './chat-log.js';
import { postLoop } from './http-load.js';

const batchSize = Number(process.env.BENCH_BATCH ?? 100);
// Pre-built distinct bodies, so the load process spends its CPU on sending, not on building JSON.
const bodies = Array.from({ length: 64 }, (_, b) => Buffer.from(JSON.stringify(Array.from({ length: batchSize }, (_, i) => chatLog(b * batchSize + i)))));
const r = await postLoop({
  url: new URL('/v1/logs', process.env.BENCH_URL!),
  key: process.env.BENCH_KEY!,
  contentType: 'application/json',
  bodies,
  seconds: Number(process.env.BENCH_SECONDS ?? 10),
  concurrency: Number(process.env.BENCH_CONCURRENCY ?? 4),
});
process.stdout.write(
  `${JSON.stringify({ logs: r.ok * batchSize, failures: r.failed, elapsed: r.elapsed, bytesPerLog: Math.round(bodies[0]!.length / batchSize) })}\n`,
);
