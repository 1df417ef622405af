/**
 * npm run bench:volume — reads at volume, through the public API, on the embedded default (FerretDB on SQLite;
 * BENCH_DB / MONGODB_URI as for the other benchmarks).
 *
 * Seeds BENCH_VOLUME (default 1,000,000) ~2 KB chat logs through POST /v1/logs, in time order with created_at
 * spread over the last 30 days (1 in 10 on model gpt-4o, 1 in 10 with metadata feature=f-0, 1 in 100 both;
 * every 1,000th log starts a 10-span trace). At 10,000, 100,000 and the full size it times, each the median of
 * three: the first page of GraphQL `logs(first: 50)` with totalCount, a page filtered by model + metadata pair
 * (~1% of logs), `trace(traceId)` of a 10-span trace, GET /v1/logs/{id}, creating an export draft (its count),
 * and an export of every log, sampling the RSS of the server and database processes. One line per size:
 *   volume: <n> logs, first page P ms, filtered page F ms, trace T ms, by id I ms, count C ms, export R rows/s, peak RSS M MB
 * and, at the full size, Portkey's analytics endpoints (median of three):
 *   analytics: 30d graph X ms, 30d groups Y ms, 24h graph Z ms
 */
import { readdirSync, readFileSync } from 'node:fs';
import { MongoClient } from 'mongodb';
import { chatLog } from './bench/chat-log.js';
import { buildServer, cpuSeconds, startDatabase, startServer } from './bench/harness.js';

process.env.BENCH_DB ??= 'sqlite';
const TOTAL = Number(process.env.BENCH_VOLUME ?? 1_000_000);
const CHECKPOINTS = [...new Set([10_000, 100_000, 1_000_000, TOTAL].filter((n) => n <= TOTAL))].sort((a, b) => a - b);
const BATCH = 1000;
const CONCURRENCY = 4;
const DAYS = 30;
const SPAN_MS = DAYS * 86_400_000;

const rssMb = (pid: number) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
  } catch {
    return 0;
  }
};

/** The database process when we started it (the embedded FerretDB is our child). */
function databasePids(): number[] {
  const pids: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid && stat.includes('ferretdb')) pids.push(Number(d));
    } catch {
      /* gone */
    }
  }
  return pids;
}

buildServer();
const db = await startDatabase();
// LOG_SEGMENT_DOCS passes through: e.g. 100 gives 100,000 logs the 1,000 segments of a million-log store.
const server = await startServer(db.uri, {
  JOBS_POLL_INTERVAL_MS: '200',
  ...(process.env.LOG_SEGMENT_DOCS && { LOG_SEGMENT_DOCS: process.env.LOG_SEGMENT_DOCS }),
});
const client = await new MongoClient(db.uri).connect();
const watched = [server.pid, ...databasePids()];
let peak = 0;
/** The server's and the database's own RSS at the combined peak (which of them holds the memory). */
let peakParts: number[] = [];
const sampler = setInterval(() => {
  const parts = watched.map(rssMb);
  const sum = parts.reduce((a, b) => a + b, 0);
  if (sum > peak) [peak, peakParts] = [sum, parts];
}, 200);

const headers = { 'x-portkey-api-key': server.key, 'content-type': 'application/json' };
/** 503s answered (and retried after their Retry-After, as a client should; ids make the resend safe). */
let unavailable = 0;
async function api(method: string, path: string, body?: unknown): Promise<any> {
  for (let attempt = 1; ; attempt++) {
    const res = await fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (res.status === 503 && attempt < 10) {
      unavailable++;
      await res.arrayBuffer();
      await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000));
      continue;
    }
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${(await res.text()).slice(0, 300)}`);
    return res.json();
  }
}
const graphql = async (query: string, variables: Record<string, unknown>) => {
  const r = await api('POST', '/graphql', { query, variables });
  if (r.errors) throw new Error(JSON.stringify(r.errors).slice(0, 300));
  return r.data;
};

const start = Date.now() - SPAN_MS;
const ids: string[] = [];
function seedLog(i: number) {
  const base = chatLog(i);
  const metadata: Record<string, string> = { ...base.metadata, feature: `f-${Math.floor(i / 10) % 10}` };
  const traceStart = i - (i % 1000);
  if (i % 1000 < 10) {
    metadata.trace_id = `trace-${traceStart}`;
    metadata.span_id = `span-${i}`;
    if (i !== traceStart) metadata.parent_span_id = `span-${traceStart}`;
  }
  if (i % 10 === 0) base.request.body.model = base.response.body.model = 'gpt-4o';
  // Client ids, so a batch resent after a 503 is stored once.
  return { ...base, id: `vol-${i}`, metadata, created_at: new Date(start + Math.floor((i / TOTAL) * SPAN_MS)).toISOString() };
}

async function seed(from: number, to: number): Promise<void> {
  let next = from;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (;;) {
        const at = next;
        if (at >= to) return;
        next = Math.min(to, at + BATCH);
        const r = await api(
          'POST',
          '/v1/logs',
          Array.from({ length: next - at }, (_, j) => seedLog(at + j)),
        );
        if (at === from || next === to) ids.push(r.data.log_ids[0]);
      }
    }),
  );
}

async function median(f: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await f();
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[1]!;
}

const PAGE = `query($filter: LogFilter) { logs(first: 50, filter: $filter) { totalCount edges { node { id createdAt model metadata request response } } } }`;
const TRACE = `query($t: ID!) { trace(traceId: $t) { traceId spans { id spanId request response } } }`;

async function measure(n: number): Promise<string> {
  peak = 0;
  peakParts = [];
  const cpu0 = cpuSeconds(server.pid);
  const first = await median(() => graphql(PAGE, {}));
  const filter = { model: 'gpt-4o', metadata: { feature: 'f-0' } };
  const filtered = await median(async () => {
    const d = await graphql(PAGE, { filter });
    if (d.logs.edges.length !== Math.min(50, Math.ceil(n / 100))) throw new Error(`filtered page has ${d.logs.edges.length} rows`);
  });
  const traceId = `trace-${Math.floor(n / 2000) * 1000}`;
  const trace = await median(async () => {
    const d = await graphql(TRACE, { t: traceId });
    if (d.trace?.spans.length !== 10) throw new Error(`trace ${traceId} has ${d.trace?.spans.length} spans`);
  });
  const someId = ids[Math.floor(ids.length / 2)]!;
  const byId = await median(() => api('GET', `/v1/logs/${someId}`));
  let exportId = '';
  const count = await median(async () => {
    exportId = (
      await api('POST', '/v1/logs/exports', {
        filters: {},
        requested_data: ['id', 'trace_id', 'created_at', 'request', 'response', 'ai_model', 'total_tokens', 'cost', 'status_code'],
      })
    ).id;
  });
  await api('POST', `/v1/logs/exports/${exportId}/start`);
  let e: any;
  for (;;) {
    e = await api('GET', `/v1/logs/exports/${exportId}`);
    if (e.status === 'success') break;
    if (e.status !== 'in_progress') throw new Error(`export ${e.status}: ${e.error}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const doc = await client
    .db(server.dbName)
    .collection('exports')
    .findOne({ _id: exportId as never });
  if (doc!.processed !== n) throw new Error(`exported ${doc!.processed} of ${n} logs`);
  const rate = doc!.processed as number;
  const seconds = (doc!.finishedAt.getTime() - doc!.startedAt.getTime()) / 1000;
  const cpu = cpuSeconds(server.pid) - cpu0;
  const r = (x: number) => Math.round(x);
  return `volume: ${n} logs, first page ${r(first)} ms, filtered page ${r(filtered)} ms, trace ${r(trace)} ms, by id ${r(byId)} ms, count ${r(count)} ms, export ${r(rate / seconds)} rows/s, peak RSS ${r(peak)} MB (server ${r(peakParts[0] ?? 0)} MB + database ${r(peakParts.slice(1).reduce((a, b) => a + b, 0))} MB; server CPU ${cpu.toFixed(1)} s for these reads)`;
}

/** Portkey's analytics endpoints over the seeded range, as the SDK calls them (REST). */
async function measureAnalytics(): Promise<string> {
  const now = Date.now();
  const range = (ms: number) =>
    new URLSearchParams({ time_of_generation_min: new Date(now - ms).toISOString(), time_of_generation_max: new Date(now).toISOString() });
  const graph30 = await median(() => api('GET', `/v1/analytics/graphs/cost?${range(SPAN_MS)}`));
  const groups30 = await median(() => api('GET', `/v1/analytics/groups/ai-models?${range(SPAN_MS)}`));
  const graph24 = await median(() => api('GET', `/v1/analytics/graphs/cost?${range(86_400_000)}`));
  const r = (x: number) => Math.round(x);
  return `analytics: 30d graph ${r(graph30)} ms, 30d groups ${r(groups30)} ms, 24h graph ${r(graph24)} ms`;
}

try {
  let seeded = 0;
  for (const n of CHECKPOINTS) {
    const t = performance.now();
    const cpu0 = cpuSeconds(server.pid);
    await seed(seeded, n);
    const secs = (performance.now() - t) / 1000;
    console.error(
      `seeded ${n} logs (${Math.round((n - seeded) / secs)} logs/s, ${(((cpuSeconds(server.pid) - cpu0) / (n - seeded)) * 1e6).toFixed(0)} us server CPU per log, ${unavailable} answers 503 and resent)`,
    );
    seeded = n;
    console.log(await measure(n));
  }
  console.log(await measureAnalytics());
} finally {
  clearInterval(sampler);
  await client.close();
  await server.stop();
  await db.stop();
}
