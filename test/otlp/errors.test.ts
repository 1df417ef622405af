import { request } from 'node:http';
import { deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { opentelemetry } from '../../src/transports/otlp/generated/otlp-trace.js';
import { call, createKey } from '../helpers/http.js';
import { ROOT_KEY, startTestServer, type TestServer } from '../helpers/server.js';
import { countStoredLogs } from '../helpers/stored-logs.js';

const { ExportTraceServiceResponse } = opentelemetry.proto.collector.trace.v1;
const now = BigInt(Date.now()) * 1_000_000n;

const jsonSpan = (traceId: string, spanId: string, name = 'span') => ({
  traceId,
  spanId,
  name,
  kind: 3,
  startTimeUnixNano: String(now),
  endTimeUnixNano: String(now + 5_000_000n),
  attributes: [{ key: 'gen_ai.request.model', value: { stringValue: 'gpt-4o' } }],
  status: { code: 1 },
});
const jsonExport = (spans: unknown[]) => ({
  resourceSpans: [{ resource: { attributes: [{ key: 'service.name', value: { stringValue: 'svc' } }] }, scopeSpans: [{ scope: { name: 's' }, spans }] }],
});

const post = (s: TestServer, body: string | Buffer, headers: Record<string, string>, key: string | null = ROOT_KEY) =>
  call(s.url, 'POST', '/v1/traces', { key, raw: body, headers });

describe('OTLP/HTTP statuses', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ OTLP_MAX_BODY_BYTES: '65536', MAX_INFLIGHT_INGEST: '1' });
  });
  afterAll(() => s.stop());

  it('JSON: some spans rejected -> 200 with partialSuccess counting them; the valid ones are stored', async () => {
    const good = jsonSpan('0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331');
    const bad = jsonSpan('not-a-trace-id', '00f067aa0ba902b7');
    const res = await post(s, JSON.stringify(jsonExport([good, bad])), { 'content-type': 'application/json' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(res.body.partialSuccess.rejectedSpans).toBe(1);
    expect(res.body.partialSuccess.errorMessage).toMatch(/trace/i);
    const stored = await countStoredLogs(s.app.database.db, { trace_id: '0af7651916cd43dd8448eb211c80319c' });
    expect(stored).toBe(1);
  });

  it('Content-Encoding: deflate is inflated like gzip', async () => {
    const body = deflateSync(JSON.stringify(jsonExport([jsonSpan('4af7651916cd43dd8448eb211c80319c', 'e7ad6b7169203331', 'deflated')])));
    const res = await post(s, body, { 'content-type': 'application/json', 'content-encoding': 'deflate' });
    expect(res.status).toBe(200);
    expect(await countStoredLogs(s.app.database.db, { trace_id: '4af7651916cd43dd8448eb211c80319c', span_name: 'deflated' })).toBe(1);
  });

  it('JSON: full success answers {}', async () => {
    const res = await post(s, JSON.stringify(jsonExport([jsonSpan('1af7651916cd43dd8448eb211c80319c', 'c7ad6b7169203331')])), {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({});
  });

  it('protobuf: answers an ExportTraceServiceResponse in protobuf', async () => {
    const { ExportTraceServiceRequest } = opentelemetry.proto.collector.trace.v1;
    const bytes = ExportTraceServiceRequest.encode({
      resourceSpans: [
        {
          scopeSpans: [
            {
              spans: [
                { traceId: Buffer.alloc(16, 0), spanId: Buffer.from('0102030405060708', 'hex'), name: 'zero trace', startTimeUnixNano: Date.now() * 1e6 },
              ],
            },
          ],
        },
      ],
    }).finish();
    const res = await fetch(`${s.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf', 'x-portkey-api-key': ROOT_KEY },
      body: bytes,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    const decoded = ExportTraceServiceResponse.decode(new Uint8Array(await res.arrayBuffer()));
    expect(Number(decoded.partialSuccess?.rejectedSpans)).toBe(1);
  });

  it('400 for undecodable bodies, 415 for other content types or encodings', async () => {
    expect((await post(s, Buffer.from([0xff, 0xff, 0xff, 0x0f, 0x12, 0x99]), { 'content-type': 'application/x-protobuf' })).status).toBe(400);
    expect((await post(s, '{"resourceSpans": [', { 'content-type': 'application/json' })).status).toBe(400);
    expect((await post(s, '{"resourceSpans": 7}', { 'content-type': 'application/json' })).status).toBe(400);
    expect((await post(s, Buffer.from('not gzip'), { 'content-type': 'application/json', 'content-encoding': 'gzip' })).status).toBe(400);
    expect((await post(s, 'hello', { 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post(s, '{}', { 'content-type': 'application/json', 'content-encoding': 'br' })).status).toBe(415);
  });

  it('401 without or with a bad key; 403 without logs.write', async () => {
    const body = JSON.stringify(jsonExport([]));
    expect((await post(s, body, { 'content-type': 'application/json' }, null)).status).toBe(401);
    expect((await post(s, body, { 'content-type': 'application/json' }, 'lp-nope')).status).toBe(401);
    const viewer = (await createKey(s.url, { workspace: 'w', scopes: ['logs.view'] })).key;
    expect((await post(s, body, { 'content-type': 'application/json' }, viewer)).status).toBe(403);
  });

  it('413 when the body is over the cap after decompression, even if small on the wire', async () => {
    const spans = Array.from({ length: 400 }, (_, i) => jsonSpan('2af7651916cd43dd8448eb211c80319c', (0x1000000000000000n + BigInt(i)).toString(16)));
    const inflated = Buffer.from(JSON.stringify(jsonExport(spans)));
    const compressed = gzipSync(inflated);
    expect(inflated.length).toBeGreaterThan(65536);
    expect(compressed.length).toBeLessThan(65536);
    const res = await post(s, compressed, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(res.status).toBe(413);
    expect(await countStoredLogs(s.app.database.db, { trace_id: '2af7651916cd43dd8448eb211c80319c' })).toBe(0);
  });

  it('429 with Retry-After while ingestion is at its concurrency limit', async () => {
    const url = new URL(s.url);
    // Bodies in transit have their own bound (4 x MAX_INFLIGHT_INGEST, 3 of them per workspace): hold the
    // workspace's share with requests whose bodies are still arriving.
    const slow = Array.from({ length: 3 }, () => {
      const req = request({
        host: url.hostname,
        port: url.port,
        path: '/v1/traces',
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-portkey-api-key': ROOT_KEY },
      });
      const done = new Promise<number>((resolve) =>
        req.on('response', (r) => {
          r.resume();
          resolve(r.statusCode!);
        }),
      );
      req.write('{"resourceSpans":');
      return { req, done };
    });
    let refused = await post(s, JSON.stringify(jsonExport([])), { 'content-type': 'application/json' });
    for (let i = 0; i < 40 && refused.status !== 429; i++) {
      await new Promise((r) => setTimeout(r, 100)); // until the slow requests have reached their body
      refused = await post(s, JSON.stringify(jsonExport([])), { 'content-type': 'application/json' });
    }
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    slow.forEach((x) => x.req.end('[]}'));
    expect(await Promise.all(slow.map((x) => x.done))).toEqual([200, 200, 200]);
  });

  it('503 with Retry-After when the database is unreachable', async () => {
    const other = await startTestServer();
    await other.app.database.client.close(true);
    const res = await post(other, JSON.stringify(jsonExport([jsonSpan('3af7651916cd43dd8448eb211c80319c', 'd7ad6b7169203331')])), {
      'content-type': 'application/json',
    });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    await other.app.stop().catch(() => undefined);
  });
});
