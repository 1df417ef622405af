/**
 * npm run bench:ingest — REST ingest throughput and server CPU per log, against the bare driver.
 *
 * Starts a database (embedded FerretDB unless MONGODB_URI is set), the compiled server as its own process,
 * and a load process posting batches of 100 ~2 KB chat logs for BENCH_SECONDS. Then inserts the very
 * documents the server stored, with the bare driver, into a collection with the same indexes, for the same
 * time and concurrency. Prints one line:
 *   ingest: <logs/s> logs/s, <us> us server CPU per log, <ratio> of raw insertMany
 */
import { Binary, BSON, MongoClient, type Document } from 'mongodb';
import { buildServer, cpuSeconds, reportThreads, runLoad, startDatabase, startServer, threadCpuSeconds, WARMUP_SECONDS } from './bench/harness.js';
import { bodiesOf, CATALOG, listOf, OPEN_CATALOG } from '../src/storage/mongo/segments/catalog.js';
import { type BodyHolder, bodiesIn } from '../src/storage/mongo/segments/segment-bodies.js';
import { type ListHolder, readAllLists } from '../src/storage/mongo/segments/segment-lists.js';
import { joinLogDoc, type ListDoc, restOf } from '../src/storage/mongo/segments/segment-docs.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const BATCH = 100;

buildServer();
const db = await startDatabase();
const server = await startServer(db.uri);
const client = await new MongoClient(db.uri).connect();
try {
  const loadEnv = { BENCH_URL: server.url, BENCH_KEY: server.key, BENCH_CONCURRENCY: String(CONCURRENCY), BENCH_BATCH: String(BATCH) };
  await runLoad('scripts/bench/ingest-load.ts', { ...loadEnv, BENCH_SECONDS: WARMUP_SECONDS }); // warm-up (JIT, connections)

  const cpuBefore = cpuSeconds(server.pid);
  const threadsBefore = threadCpuSeconds(server.pid);
  const load = await runLoad<{ logs: number; failures: number; elapsed: number; bytesPerLog: number }>('scripts/bench/ingest-load.ts', {
    ...loadEnv,
    BENCH_SECONDS: String(SECONDS),
  });
  const cpu = cpuSeconds(server.pid) - cpuBefore;
  reportThreads(threadsBefore, threadCpuSeconds(server.pid), load.logs, 'log');
  if (load.failures > 0) throw new Error(`${load.failures} ingest requests failed`);
  const serverRate = load.logs / load.elapsed;
  const usPerLog = (cpu / load.logs) * 1e6;

  // Baseline: the same logs as whole documents, one per log, re-inserted by the bare driver into one collection
  // indexed like a segment's list collection (Logport writes each write's list documents as a batch on the embedded
  // database and one per log on MongoDB, bodies in batches, and client ids as claims).
  const database = client.db(server.dbName);
  const segment = (await database.collection(OPEN_CATALOG).findOne({})) ?? (await database.collection(CATALOG).findOne({}));
  const lists = (await readAllLists(listOf<ListHolder>(database, String(segment!._id)))).slice(0, 64 * BATCH);
  const holders = await bodiesOf<BodyHolder>(database, String(segment!._id)).find({}).toArray();
  const bodies = new Map(holders.flatMap(bodiesIn).map((b) => [b._id, b]));
  // A body's other fields, metadata pairs included, as one BSON Binary, as versions before 2026-12 stored them, so
  // the baseline's documents (and the ratio) stay the same across versions.
  const sample = lists.map(({ body_batch: _batch, ...l }) => {
    const body = bodies.get(String(l._id))!;
    const { metadata } = joinLogDoc(l as ListDoc, body);
    return { ...l, ...body, rest: new Binary(BSON.serialize({ ...restOf(body), metadata })) };
  });
  const raw = database.collection('logs_raw');
  for (const index of await listOf(database, String(segment!._id)).listIndexes().toArray()) {
    if (index.name !== '_id_') await raw.createIndexes([{ key: index.key, name: index.name }]);
  }
  const batches: Document[][] = [];
  for (let i = 0; i + BATCH <= sample.length; i += BATCH) batches.push(sample.slice(i, i + BATCH).map(({ _id, ...rest }) => rest));
  let rawDocs = 0;
  let n = 0;
  const started = Date.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (Date.now() < deadline) {
        // Fresh copies: insertMany adds an _id to the objects it is given.
        await raw.insertMany(
          batches[n++ % batches.length]!.map((d) => ({ ...d })),
          { ordered: false },
        );
        rawDocs += BATCH;
      }
    }),
  );
  const rawRate = rawDocs / ((Date.now() - started) / 1000);

  console.log(
    `ingest: ${Math.round(serverRate)} logs/s, ${usPerLog.toFixed(1)} us server CPU per log, ${(serverRate / rawRate).toFixed(2)} of raw insertMany` +
      ` (raw ${Math.round(rawRate)} docs/s, ${load.bytesPerLog} B/log, ${SECONDS}s, concurrency ${CONCURRENCY})`,
  );
} finally {
  await client.close();
  await server.stop();
  await db.stop();
}
