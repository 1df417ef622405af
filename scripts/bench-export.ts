/**
 * npm run bench:export — export throughput and memory, against the bare driver.
 *
 * Seeds BENCH_ROWS (default 200k with MONGODB_URI, 50k on FerretDB) realistic ~2 KB logs, plus 10k in a second workspace, through the domain's
 * own ingest path; runs the compiled server (ROLE=all) as its own process; exports both workspaces with 13
 * common fields while sampling the server's RSS; then streams the same rows as JSONL into GridFS with the bare
 * driver. Prints one line:
 *   export: <rows/s> rows/s, peak RSS <MB> MB, <ratio> of raw cursor-to-GridFS
 */
import { readFileSync } from 'node:fs';
import { GridFSBucket, MongoClient } from 'mongodb';
import { ingestLogs } from '../src/domain/logs/ingest-logs.js';
import { createLogRepository } from '../src/storage/mongo/log-repository.js';
import { chatLog } from './bench/chat-log.js';
import { buildServer, startDatabase, startServer } from './bench/harness.js';
import { DEFAULT_EXPORT_FIELDS } from '../src/domain/exports/export-fields.js';

// 200k rows against MongoDB; 50k on the embedded FerretDB, which sorts an export's rows in its own memory
// (measured 23 GB at 200k ~2 KB logs: the default must not take the machine down).
const ROWS = Number(process.env.BENCH_ROWS ?? (process.env.MONGODB_URI ? 200_000 : 50_000));
const SMALL = 10_000;
// The export form's default fields: the common columns a BI export asks for.
const FIELDS = [...DEFAULT_EXPORT_FIELDS];

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

buildServer();
const db = await startDatabase();
const server = await startServer(db.uri, { JOBS_POLL_INTERVAL_MS: '200' });
const client = await new MongoClient(db.uri).connect();
try {
  const database = client.db(server.dbName);
  const repo = createLogRepository(database);
  const actor = { keyId: 'bench', name: 'bench', kind: 'organisation' as const, organisationId: 'default', scopes: new Set(['logs.write']), isRoot: true };
  for (const [workspaceId, rows] of [
    ['bench-small', SMALL],
    ['bench-big', ROWS],
  ] as const) {
    for (let i = 0; i < rows; i += 1000) {
      const batch = Array.from({ length: Math.min(1000, rows - i) }, (_, j) => chatLog(i + j));
      await ingestLogs(repo, actor, { workspaceId, body: batch });
    }
  }

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'x-portkey-api-key': server.key, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json() as Promise<Record<string, any>>;
  };
  const exportWorkspace = async (workspaceId: string) => {
    const { id } = await api('POST', '/v1/logs/exports', { workspace_id: workspaceId, filters: {}, requested_data: FIELDS });
    let peak = rssMb(server.pid);
    await api('POST', `/v1/logs/exports/${id}/start`);
    for (;;) {
      peak = Math.max(peak, rssMb(server.pid));
      const e = await api('GET', `/v1/logs/exports/${id}`);
      if (e.status === 'success') break;
      if (e.status !== 'in_progress') throw new Error(`export ${e.status}: ${e.error}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    const doc = await database.collection('exports').findOne({ _id: id as never });
    const seconds = (doc!.finishedAt.getTime() - doc!.startedAt.getTime()) / 1000;
    return { rows: doc!.processed as number, rate: doc!.processed / seconds, peak };
  };
  const small = await exportWorkspace('bench-small');
  const big = await exportWorkspace('bench-big');

  // Baseline: the same rows, newest first, as JSONL into GridFS (64 KiB writes) without the export job around it.
  const started = Date.now();
  const upload = new GridFSBucket(database, { bucketName: 'raw_baseline' }).openUploadStream('raw.jsonl');
  // (reading the stored documents through the repository's own stream: the layout is segments, not one collection)
  let buf = '';
  let raw = 0;
  for await (const r of repo.streamMatching('bench-big', {}, {})) {
    const d = {
      _id: r.id,
      trace_id: r.traceId,
      created_at: r.createdAt,
      request_body: r.request.body,
      response_body: r.response.body,
      provider: r.derived.provider,
      model: r.derived.model,
      request_tokens: r.derived.requestTokens,
      response_tokens: r.derived.responseTokens,
      total_tokens: r.derived.totalTokens,
      cost: r.derived.cost,
      response_time: r.derived.responseTimeMs,
      status_code: r.derived.statusCode,
    };
    buf += `${JSON.stringify({ id: d._id, trace_id: d.trace_id ?? null, created_at: d.created_at.toISOString(), request: JSON.parse(d.request_body), response: JSON.parse(d.response_body), ai_provider: d.provider ?? null, ai_model: d.model ?? null, request_tokens: d.request_tokens ?? null, response_tokens: d.response_tokens ?? null, total_tokens: d.total_tokens ?? null, cost: d.cost ?? null, response_time: d.response_time ?? null, status_code: d.status_code })}\n`;
    raw++;
    if (buf.length >= 65536) {
      if (!upload.write(buf)) await new Promise((r) => upload.once('drain', r));
      buf = '';
    }
  }
  await new Promise<void>((resolve, reject) => upload.end(buf, () => resolve()).once('error', reject));
  const rawRate = raw / ((Date.now() - started) / 1000);

  console.log(
    `export: ${Math.round(big.rate)} rows/s, peak RSS ${Math.round(big.peak)} MB, ${(big.rate / rawRate).toFixed(2)} of raw cursor-to-GridFS` +
      ` (${big.rows} rows; raw ${Math.round(rawRate)} rows/s; ${small.rows} rows: peak RSS ${Math.round(small.peak)} MB, ${Math.round(small.rate)} rows/s)`,
  );
} finally {
  await client.close();
  await server.stop();
  await db.stop();
}
