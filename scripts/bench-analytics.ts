import { randomUUID } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { createAnalyticsService } from '../src/domain/analytics/analytics-service.js';
import { addToDelta } from '../src/domain/analytics/rollup-writer.js';
import type { RollupDelta } from '../src/domain/analytics/rollup-model.js';
import type { Actor } from '../src/domain/auth/actor.js';
import { withFeedbackScores } from '../src/domain/feedback/with-feedback-scores.js';
import type { LogRecord } from '../src/domain/logs/log-model.js';
import { createIndexBuildTracker, ensureServiceIndexes } from '../src/storage/mongo/collections.js';
import { createFeedbackRepository } from '../src/storage/mongo/feedback-repository.js';
import { createLogRepository } from '../src/storage/mongo/log-repository.js';
import { createRollupRepository } from '../src/storage/mongo/rollup-repository.js';
import { isFerretDb } from '../src/storage/mongo/segments/segment-indexes.js';
import { startDatabase } from './bench/harness.js';

/**
 * Analytics read latency at volume: BENCH_LOGS (default 1,000,000) logs over the last 30 days are added to the
 * rollups through the same aggregation and upserts ingestion uses (in time order, 20,000 per flush; the logs
 * themselves are not stored, since these reads never touch them), then a 30-day cost graph, a 30-day
 * group-by-model and a last-24-hours cost graph are timed (median of BENCH_RUNS, default 7), with ranges
 * ending at the current millisecond so every level of the rollups is read.
 * Prints `analytics: 30d graph X ms, 30d groups Y ms, 24h graph Z ms`. Runs on FerretDB/SQLite (the embedded
 * default) unless BENCH_DB or MONGODB_URI say otherwise.
 */
process.env.BENCH_DB ??= 'sqlite';
const N = Number(process.env.BENCH_LOGS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const DAY = 86_400_000;
const MODELS = [
  ['openai', 'gpt-4o'],
  ['openai', 'gpt-4o-mini'],
  ['anthropic', 'claude-3-5-sonnet'],
  ['google', 'gemini-1.5-pro'],
  ['openai', 'o1-mini'],
] as const;
const STATUSES = [200, 200, 200, 200, 200, 200, 200, 200, 429, 500];

function synthetic(i: number, t: number): LogRecord {
  const [provider, model] = MODELS[i % MODELS.length]!;
  const status = STATUSES[(i * 7) % STATUSES.length]!;
  const req = 100 + ((i * 37) % 3000);
  const res = (i * 53) % 900;
  return {
    id: randomUUID(),
    workspaceId: 'default',
    organisationId: 'default',
    source: 'rest',
    createdAt: new Date(t),
    request: { url: '', method: 'POST', headers: {}, body: '' },
    response: { status, headers: {}, body: '' },
    metadata: { _user: `user-${i % 500}` },
    derived: {
      provider,
      model,
      statusCode: status,
      isSuccess: status < 400,
      requestTokens: req,
      responseTokens: res,
      totalTokens: req + res,
      cost: (req * 0.00025 + res * 0.001) / 10,
      responseTimeMs: 80 + ((i * 7919) % 12_000),
    },
  } as LogRecord;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main() {
  const db = await startDatabase();
  const client = await new MongoClient(db.uri).connect();
  try {
    const mdb = client.db(`bench_analytics_${Date.now()}`);
    await ensureServiceIndexes(mdb, createIndexBuildTracker());
    const rollups = createRollupRepository(mdb, { partitioned: await isFerretDb(mdb) });
    const feedback = createFeedbackRepository(mdb);
    const analytics = createAnalyticsService({ rollups, logs: withFeedbackScores(createLogRepository(mdb), feedback), feedback });
    const now = Date.now();
    const start = now - 30 * DAY;

    const seedStarted = Date.now();
    const CHUNK = Number(process.env.BENCH_CHUNK ?? 20_000);
    for (let i = 0; i < N; i += CHUNK) {
      const delta: RollupDelta = { cells: new Map(), users: new Map(), workspaces: new Set() };
      const records: LogRecord[] = [];
      for (let j = i; j < Math.min(N, i + CHUNK); j++) records.push(synthetic(j, start + Math.floor(((j + 0.5) / N) * 30 * DAY)));
      addToDelta(delta, records);
      await rollups.apply(delta);
      if ((i / CHUNK) % 10 === 0) process.stderr.write(`seeded ${i + records.length} logs in ${((Date.now() - seedStarted) / 1000).toFixed(0)} s\n`);
    }
    const seedSeconds = (Date.now() - seedStarted) / 1000;

    const actor: Actor = { keyId: 'bench', name: 'bench', kind: 'organisation', organisationId: 'default', scopes: new Set(['logs.list']), isRoot: true };
    const range = (ms: number) => {
      const to = new Date(Date.now());
      return { from: new Date(to.getTime() - ms), to };
    };
    const time = async (op: () => Promise<unknown>) => {
      const wall: number[] = [];
      const cpu: number[] = [];
      await op(); // warm-up
      for (let r = 0; r < RUNS; r++) {
        const c0 = process.cpuUsage();
        const t0 = performance.now();
        await op();
        wall.push(performance.now() - t0);
        const c = process.cpuUsage(c0);
        cpu.push((c.user + c.system) / 1000);
      }
      return { wall: median(wall), cpu: median(cpu) };
    };
    const graph30 = await time(() => analytics.graph(actor, 'cost', { filter: range(30 * DAY) }));
    const groups30 = await time(() => analytics.group(actor, 'ai-models', { filter: range(30 * DAY), page: { currentPage: 0, pageSize: 100 } }));
    const graph24 = await time(() => analytics.graph(actor, 'cost', { filter: range(DAY) }));
    // Whole minutes around the seeded span: the sub-minute edges of a range are read from logs, which this
    // benchmark does not store, so an unaligned range would miss the logs of its first partial minute.
    const minute = 60_000;
    const whole = { from: new Date(Math.floor(start / minute) * minute), to: new Date(Math.ceil((now + minute) / minute) * minute) };
    const check = (await analytics.graph(actor, 'requests', { filter: whole })) as {
      summary: { total: number };
    };
    if (check.summary.total !== N) throw new Error(`rollups hold ${check.summary.total} requests, expected ${N}`);
    const f = (x: number) => x.toFixed(0);
    console.error(
      `seeded ${N} logs into rollups in ${seedSeconds.toFixed(0)} s; Logport process CPU per read (median): 30d graph ${f(graph30.cpu)} ms, 30d groups ${f(groups30.cpu)} ms, 24h graph ${f(graph24.cpu)} ms`,
    );
    console.log(`analytics: 30d graph ${f(graph30.wall)} ms, 30d groups ${f(groups30.wall)} ms, 24h graph ${f(graph24.wall)} ms`);
  } finally {
    await client.close();
    await db.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
