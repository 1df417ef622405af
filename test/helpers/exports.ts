import { gunzipSync } from 'node:zlib';
import { call, type JsonResponse } from './http.js';
import type { TestServer } from './server.js';

/** Helpers for the log-export tests: REST calls, bounded polling, file download and parsing. */

type Key = string | null | undefined;
type Base = Pick<TestServer, 'url'>;

/** The seed's example selection (13 common fields). */
export const COMMON_FIELDS = [
  'id',
  'trace_id',
  'created_at',
  'request',
  'response',
  'ai_provider',
  'ai_model',
  'request_tokens',
  'response_tokens',
  'total_tokens',
  'cost',
  'response_time',
  'status_code',
];

/** Polls `read` every `everyMs` until `done` holds; fails with the last value after `timeoutMs`. */
export async function until<T>(what: string, read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 15_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, everyMs));
    last = await read();
  }
  return last;
}

export function exportCall(s: Base, method: string, path: string, opts: { key?: Key; body?: unknown } = {}): Promise<JsonResponse> {
  return call(s.url, method, `/v1/logs/exports${path}`, opts);
}

export async function createExport(s: Base, body: Record<string, unknown>, key?: Key): Promise<{ id: string; total: number }> {
  const res = await exportCall(s, 'POST', '', { key, body });
  if (res.status !== 200) throw new Error(`create export failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function getExport(s: Base, id: string, key?: Key): Promise<any> {
  const res = await exportCall(s, 'GET', `/${id}`, { key });
  if (res.status !== 200) throw new Error(`get export failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function startExport(s: Base, id: string, key?: Key): Promise<void> {
  const res = await exportCall(s, 'POST', `/${id}/start`, { key, body: {} });
  if (res.status !== 200) throw new Error(`start export failed: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Waits until the export reaches one of `statuses` (bounded). */
export function waitForStatus(s: Base, id: string, statuses: string | string[], opts: { key?: Key; timeoutMs?: number } = {}): Promise<any> {
  const want = Array.isArray(statuses) ? statuses : [statuses];
  return until(
    `export ${id} to be ${want.join('/')}`,
    () => getExport(s, id, opts.key),
    (e) => want.includes(e.status),
    opts.timeoutMs ?? 20_000,
  );
}

export interface FileResponse {
  status: number;
  headers: Headers;
  bytes: Buffer;
}

export async function fetchFile(url: string, headers: Record<string, string> = {}): Promise<FileResponse> {
  const res = await fetch(url, { headers });
  return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** Asks for a fresh signed link and fetches the file with it (no API key). */
export async function downloadExport(
  s: Base,
  id: string,
  key?: Key,
): Promise<{ link: { signed_url: string; url: string; expires_at: string }; file: FileResponse }> {
  const res = await exportCall(s, 'GET', `/${id}/download`, { key });
  if (res.status !== 200) throw new Error(`download link failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { link: res.body, file: await fetchFile(res.body.signed_url) };
}

/** The file's text, gunzipped when it is gzip data (magic bytes 1f 8b). */
export function fileText(bytes: Buffer): string {
  const gz = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
  return (gz ? gunzipSync(bytes) : bytes).toString('utf8');
}

export function parseJsonl(text: string): any[] {
  if (text === '') return [];
  if (!text.endsWith('\n')) throw new Error('JSONL file does not end with a line break');
  return text
    .slice(0, -1)
    .split('\n')
    .map((line) => JSON.parse(line));
}

export { parseCsv } from './csv.js';

/** Creates, starts and waits for success; returns the export and the parsed JSONL rows. */
export async function exportRows(s: Base, body: Record<string, unknown>, key?: Key): Promise<{ id: string; total: number; rows: any[] }> {
  const { id, total } = await createExport(s, body, key);
  await startExport(s, id, key);
  const done = await waitForStatus(s, id, ['success', 'failed'], { key });
  if (done.status !== 'success') throw new Error(`export ${id} ended ${done.status}: ${done.error}`);
  const { file } = await downloadExport(s, id, key);
  if (file.status !== 200) throw new Error(`export ${id} is ${done.status} but its file answers ${file.status}: ${file.bytes.toString('utf8').slice(0, 300)}`);
  return { id, total, rows: parseJsonl(fileText(file.bytes)) };
}

/** Ingests logs in batches of up to 1000; returns their ids in input order. */
export async function seedLogs(s: Base, logs: unknown[], opts: { key?: Key; workspace?: string } = {}): Promise<string[]> {
  const ids: string[] = [];
  const query = opts.workspace ? `?workspace_id=${encodeURIComponent(opts.workspace)}` : '';
  for (let i = 0; i < logs.length; i += 1000) {
    const res = await call(s.url, 'POST', `/v1/logs${query}`, { key: opts.key, body: logs.slice(i, i + 1000) });
    if (res.status !== 200) throw new Error(`seeding failed: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
    ids.push(...(res.body.data.log_ids as string[]));
  }
  return ids;
}

/** GridFS documents (files and chunks) whose id belongs to this export (`<exportId>.<run>.<random>`). */
export async function gridFsFor(s: TestServer, exportId: string): Promise<{ files: string[]; chunks: number }> {
  const db = s.app.database.db;
  const range = { $gte: `${exportId}.`, $lt: `${exportId}.\uffff` };
  const files = await db.collection<{ _id: string }>('export_files.files').find({ _id: range }).toArray();
  const chunks = await db.collection<{ files_id: string }>('export_files.chunks').countDocuments({ files_id: range });
  return { files: files.map((f) => f._id), chunks };
}
