import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadPath } from '../../src/domain/exports/signed-url.js';
import { createExport, exportCall, exportRows, fetchFile, getExport, seedLogs, startExport, waitForStatus } from '../helpers/exports.js';
import { call, createKey } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { chatLog } from '../logs/fixtures.js';

/** The signed download link, the file route (headers, ranges) and who may see an export. */

const FIELDS = ['id', 'created_at', 'request', 'response', 'metadata'];

describe('signed download links and the file route', () => {
  let s: TestServer;
  let exportId: string;
  let link: string;
  let whole: Buffer;

  beforeAll(async () => {
    s = await startTestServer({ JOBS_POLL_INTERVAL_MS: '100' });
    // 400 rows of ~0.9 KB: a file of two GridFS chunks (255 KiB each).
    await seedLogs(
      s,
      Array.from({ length: 400 }, (_, i) => chatLog({ metadata: { n: i } })),
    );
    ({ id: exportId } = await exportRows(s, { filters: {}, requested_data: FIELDS }));
    link = (await exportCall(s, 'GET', `/${exportId}/download`)).body.signed_url;
    const res = await fetchFile(link);
    expect(res.status).toBe(200);
    whole = res.bytes;
  });
  afterAll(() => s.stop());

  it('needs no API key; answers Content-Type, Content-Disposition, Content-Length and Accept-Ranges', async () => {
    expect(whole.length).toBeGreaterThan(262_001); // spans at least two GridFS chunks
    const res = await fetchFile(link);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="logs-export-${exportId}.jsonl"`);
    expect(Number(res.headers.get('content-length'))).toBe(whole.length);
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(res.bytes).toEqual(whole);
    expect(whole.toString('utf8').trimEnd().split('\n')).toHaveLength(400);
  });

  it('Range: bytes=0-99, a suffix, a span across GridFS chunks, an open end; 416 beyond the end', async () => {
    const cases: [string, number, number][] = [
      ['bytes=0-99', 0, 99],
      ['bytes=-50', whole.length - 50, whole.length - 1],
      ['bytes=261000-262000', 261000, 262000], // crosses the 255 KiB chunk boundary at 261120
      [`bytes=${whole.length - 10}-`, whole.length - 10, whole.length - 1],
      [`bytes=${whole.length - 5}-${whole.length + 1000}`, whole.length - 5, whole.length - 1],
    ];
    for (const [range, start, end] of cases) {
      const res = await fetchFile(link, { range });
      expect(res.status, range).toBe(206);
      expect(res.headers.get('content-range'), range).toBe(`bytes ${start}-${end}/${whole.length}`);
      expect(Number(res.headers.get('content-length')), range).toBe(end - start + 1);
      expect(res.bytes.equals(whole.subarray(start, end + 1)), range).toBe(true);
    }
    for (const range of ['bytes=99999999-', `bytes=${whole.length}-`]) {
      const res = await fetchFile(link, { range });
      expect(res.status, range).toBe(416);
      expect(res.headers.get('content-range'), range).toBe(`bytes */${whole.length}`);
    }
  });

  it('a tampered signature, file id, export id or expiry: 403', async () => {
    const u = new URL(link);
    const q = u.searchParams;
    const variant = (edit: (p: URLSearchParams) => void, path = u.pathname) => {
      const p = new URLSearchParams(q);
      edit(p);
      return `${u.origin}${path}?${p}`;
    };
    const sig = q.get('sig')!;
    const flipped = `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`;
    const tampered = [
      variant((p) => p.set('sig', flipped)),
      variant((p) => p.delete('sig')),
      variant((p) => p.set('file', `${exportId}.9.deadbeef`)),
      variant((p) => p.set('expires', String(Number(q.get('expires')) + 3600))),
      variant(() => undefined, u.pathname.replace(exportId, '00000000-0000-4000-8000-000000000000')),
    ];
    for (const url of tampered) {
      const res = await call(url, 'GET', '', { key: null });
      expect(res.status, url).toBe(403);
      expect(res.body.error.code, url).toEqual(expect.any(String));
    }
  });

  it('an expired link: 403, even though correctly signed', async () => {
    const secret = s.env.SIGNING_SECRET!;
    const fileId = new URL(link).searchParams.get('file')!;
    const expired = downloadPath(secret, exportId, fileId, new Date(Date.now() - 5000));
    const res = await call(s.url, 'GET', expired, { key: null });
    expect(res.status).toBe(403);
    expect(res.body.error.message).toMatch(/expired/i);
    // The same file and secret with a future expiry is accepted: the 403 above is about expiry alone.
    expect((await fetchFile(`${s.url}${downloadPath(secret, exportId, fileId, new Date(Date.now() + 60_000))}`)).status).toBe(200);
  });

  it('EXPORT_URL_TTL_SECONDS sets the link lifetime', async () => {
    const short = await startTestServer({ JOBS_POLL_INTERVAL_MS: '100', EXPORT_URL_TTL_SECONDS: '10' });
    try {
      await seedLogs(short, [chatLog()]);
      const { id } = await exportRows(short, { filters: {}, requested_data: ['id'] });
      const res = await exportCall(short, 'GET', `/${id}/download`);
      const ttl = Number(new URL(res.body.signed_url).searchParams.get('expires')) * 1000 - Date.now();
      expect(ttl).toBeGreaterThan(7000);
      expect(ttl).toBeLessThanOrEqual(10_000);
      expect(Date.parse(res.body.expires_at) - Date.now()).toBeLessThanOrEqual(10_000);
    } finally {
      await short.stop();
    }
  });

  it('a file whose stored chunks are gone fails fast instead of answering 200 and hanging', async () => {
    const { id } = await exportRows(s, { filters: { page_size: 5 }, requested_data: ['id'] });
    await s.app.database.db.collection('export_files.chunks').deleteMany({ files_id: { $gte: `${id}.`, $lt: `${id}.\uffff` } });
    const url = (await exportCall(s, 'GET', `/${id}/download`)).body.signed_url;
    const outcome = await fetch(url, { signal: AbortSignal.timeout(5000) })
      .then(async (r) => (r.status === 200 ? `200 with ${(await r.arrayBuffer()).byteLength} bytes` : `status ${r.status}`))
      .catch((err: Error) => (err.name === 'TimeoutError' ? 'hung' : 'connection closed'));
    expect(['hung', '200 with 0 bytes']).not.toContain(outcome);
  });
});

describe('workspace isolation and the logs.export scope', () => {
  let s: TestServer;
  let mine: { key: string };
  let theirs: { key: string };
  let id: string;

  beforeAll(async () => {
    s = await startTestServer({ JOBS_POLL_INTERVAL_MS: '100' });
    mine = await createKey(s.url, { workspace: 'ws-mine', scopes: ['logs.write', 'logs.export'] });
    theirs = await createKey(s.url, { workspace: 'ws-theirs', scopes: ['logs.write', 'logs.export'] });
    await seedLogs(s, [chatLog(), chatLog()], { key: mine.key });
    await seedLogs(s, [chatLog()], { key: theirs.key });
    ({ id } = await createExport(s, { filters: {}, requested_data: ['id'] }, mine.key));
  });
  afterAll(() => s.stop());

  it("another workspace's key gets 404 on get, update, start, cancel and download, and does not list it", async () => {
    const k = theirs.key;
    expect((await exportCall(s, 'GET', `/${id}`, { key: k })).status).toBe(404);
    expect((await exportCall(s, 'PUT', `/${id}`, { key: k, body: { requested_data: ['id', 'cost'] } })).status).toBe(404);
    expect((await exportCall(s, 'POST', `/${id}/start`, { key: k, body: {} })).status).toBe(404);
    expect((await exportCall(s, 'POST', `/${id}/cancel`, { key: k, body: {} })).status).toBe(404);
    expect((await exportCall(s, 'GET', `/${id}/download`, { key: k })).status).toBe(404);
    const list = await exportCall(s, 'GET', '', { key: k });
    expect(list.body).toMatchObject({ object: 'list', total: 0, data: [] });
    expect((await exportCall(s, 'GET', '?workspace_id=ws-mine', { key: k })).status).toBe(403);
    // Nothing above changed the export; its owner still runs it.
    expect(await getExport(s, id, mine.key)).toMatchObject({ status: 'draft', requested_data: ['id'], total_records: 2 });
    await startExport(s, id, mine.key);
    expect((await waitForStatus(s, id, ['success', 'failed'], { key: mine.key })).status).toBe('success');
    expect((await exportCall(s, 'GET', `/${id}/download`, { key: k })).status).toBe(404);
    expect((await exportCall(s, 'GET', `/${id}/download`, { key: mine.key })).status).toBe(200);
  });

  it('a workspace key exports only its own workspace, even when naming another', async () => {
    expect((await exportCall(s, 'POST', '', { key: theirs.key, body: { workspace_id: 'ws-mine', filters: {}, requested_data: ['id'] } })).status).toBe(403);
    expect((await createExport(s, { filters: {}, requested_data: ['id'] }, theirs.key)).total).toBe(1);
  });

  it('the organisation key lists every workspace, or one with ?workspace_id=', async () => {
    const all = await exportCall(s, 'GET', '');
    expect(all.body.data.map((e: any) => e.id)).toContain(id);
    const one = await exportCall(s, 'GET', '?workspace_id=ws-mine');
    expect(one.body.data.map((e: any) => e.id)).toContain(id);
    expect(one.body.data.every((e: any) => e.workspace_id === 'ws-mine')).toBe(true);
    expect((await exportCall(s, 'GET', '?workspace_id=ws-theirs')).body.data.map((e: any) => e.id)).not.toContain(id);
    expect((await exportCall(s, 'GET', `/${id}`)).body.workspace_id).toBe('ws-mine');
  });

  it('a key without logs.export: 403 on every export operation', async () => {
    const viewer = await createKey(s.url, { workspace: 'ws-mine', scopes: ['logs.view', 'logs.list', 'logs.write'] });
    const k = viewer.key;
    const attempts = [
      exportCall(s, 'POST', '', { key: k, body: { filters: {}, requested_data: ['id'] } }),
      exportCall(s, 'GET', '', { key: k }),
      exportCall(s, 'GET', `/${id}`, { key: k }),
      exportCall(s, 'PUT', `/${id}`, { key: k, body: { requested_data: ['id'] } }),
      exportCall(s, 'POST', `/${id}/start`, { key: k, body: {} }),
      exportCall(s, 'POST', `/${id}/cancel`, { key: k, body: {} }),
      exportCall(s, 'GET', `/${id}/download`, { key: k }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain('logs.export');
    }
    expect((await exportCall(s, 'GET', '', { key: null })).status).toBe(401);
  });
});
