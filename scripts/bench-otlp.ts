/**
 * npm run bench:otlp — OTLP/HTTP trace ingestion: spans/s for protobuf and for JSON requests of 512 GenAI
 * spans, and server CPU per span. Starts a database (embedded FerretDB unless MONGODB_URI is set), the
 * compiled server as its own process, and the load in a second process. Prints one line:
 *   otlp: <spans/s> spans/s proto, <spans/s> spans/s json, <us> us server CPU per span
 */
import { buildServer, cpuSeconds, reportThreads, runLoad, startDatabase, startServer, threadCpuSeconds, WARMUP_SECONDS } from './bench/harness.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);

interface LoadResult {
  spans: number;
  failures: number;
  elapsed: number;
  bytesPerSpan: number;
  repeats: number;
}

buildServer();
const db = await startDatabase();
const server = await startServer(db.uri);
try {
  const base = { BENCH_URL: server.url, BENCH_KEY: server.key, BENCH_CONCURRENCY: String(CONCURRENCY) };
  await runLoad('scripts/bench/otlp-load.ts', { ...base, BENCH_SECONDS: WARMUP_SECONDS, BENCH_DISTINCT: '4', BENCH_ENCODING: 'proto' }); // warm-up
  const rates: Record<string, number> = {};
  let cpu = 0;
  let spans = 0;
  const notes: string[] = [];
  for (const encoding of ['proto', 'json'] as const) {
    // The load process builds its requests before it starts the clock; measure CPU only while it sends.
    const before = cpuSeconds(server.pid);
    const threadsBefore = threadCpuSeconds(server.pid);
    const r = await runLoad<LoadResult>('scripts/bench/otlp-load.ts', { ...base, BENCH_SECONDS: String(SECONDS), BENCH_ENCODING: encoding });
    cpu += cpuSeconds(server.pid) - before;
    reportThreads(threadsBefore, threadCpuSeconds(server.pid), r.spans, `${encoding} span`);
    if (r.failures > 0) throw new Error(`${r.failures} ${encoding} export requests failed`);
    rates[encoding] = r.spans / r.elapsed;
    spans += r.spans;
    notes.push(`${encoding} ${r.bytesPerSpan} B/span${r.repeats ? `, ${r.repeats} repeated requests` : ''}`);
  }
  console.log(
    `otlp: ${Math.round(rates.proto!)} spans/s proto, ${Math.round(rates.json!)} spans/s json, ${((cpu / spans) * 1e6).toFixed(1)} us server CPU per span` +
      ` (${notes.join('; ')}; ${SECONDS}s each, concurrency ${CONCURRENCY})`,
  );
} finally {
  await server.stop();
  await db.stop();
}
