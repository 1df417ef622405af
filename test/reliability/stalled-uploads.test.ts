import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createKey } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { chatLog } from '../logs/fixtures.js';

interface Stalled {
  socket: Socket;
  /** The status line the server answered with, when it answers; resolves when the socket closes. */
  done: Promise<{ status: number | undefined; ms: number }>;
}

/** Opens an upload that announces 100 KB, sends a few bytes, then stalls. */
function stalledUpload(base: URL, key: string, path = '/v1/logs'): Promise<Stalled> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(base.port), base.hostname, () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nhost: ${base.host}\r\nx-portkey-api-key: ${key}\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n[{"request":`,
      );
      const t0 = Date.now();
      let text = '';
      socket.on('data', (c) => (text += c.toString('latin1')));
      const done = new Promise<{ status: number | undefined; ms: number }>((r) =>
        socket.on('close', () =>
          r({ status: /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ? Number(/^HTTP\/1\.1 (\d{3})/.exec(text)![1]) : undefined, ms: Date.now() - t0 }),
        ),
      );
      resolve({ socket, done });
    });
    socket.on('error', () => undefined);
    socket.once('error', reject);
  });
}

describe('Stalled uploads never lock ingestion out', () => {
  let s: TestServer;
  let base: URL;
  let keyA: string;
  let keyB: string;
  const opened: Socket[] = [];
  beforeAll(async () => {
    s = await startTestServer({ MAX_INFLIGHT_INGEST: '4', REQUEST_TIMEOUT_MS: '4000' });
    base = new URL(s.url);
    keyA = (await createKey(s.url, { workspace: 'slow-a', scopes: ['logs.write'] })).key;
    keyB = (await createKey(s.url, { workspace: 'fast-b', scopes: ['logs.write'] })).key;
  });
  afterAll(async () => {
    opened.forEach((sock) => sock.destroy());
    await s.stop();
  });

  it('more stalled uploads than ingest slots: other requests are still served, and the stalled ones get 408 at the deadline', async () => {
    const stalled = await Promise.all(Array.from({ length: 8 }, () => stalledUpload(base, keyA)));
    opened.push(...stalled.map((x) => x.socket));
    await new Promise((r) => setTimeout(r, 200));
    const t0 = Date.now();
    const b = await call(s.url, 'POST', '/v1/logs', { key: keyB, body: chatLog() });
    const a = await call(s.url, 'POST', '/v1/logs', { key: keyA, body: chatLog() });
    const served = Date.now() - t0;
    expect(b.status).toBe(200);
    expect(a.status).toBe(200);
    const ends = await Promise.all(stalled.map((x) => x.done));
    expect(ends.every((e) => e.status === 408)).toBe(true);
    const slowest = Math.max(...ends.map((e) => e.ms));
    expect(slowest).toBeLessThan(6500);
    console.log(
      `stalled uploads: 8 stalled on 4 slots; 2 other uploads served in ${served} ms; stalled ones answered 408 after ${Math.min(...ends.map((e) => e.ms))}-${slowest} ms`,
    );
  });

  it('one workspace cannot take every upload slot: beyond its share it gets 429, another workspace still gets in', async () => {
    // 4 processing slots -> 16 receiving slots, 12 (three quarters) per workspace.
    const stalled = await Promise.all(Array.from({ length: 12 }, () => stalledUpload(base, keyA)));
    opened.push(...stalled.map((x) => x.socket));
    let a = await call(s.url, 'POST', '/v1/logs', { key: keyA, body: chatLog() });
    for (let i = 0; i < 20 && a.status !== 429; i++) {
      await new Promise((r) => setTimeout(r, 100)); // until all twelve have reached their body
      a = await call(s.url, 'POST', '/v1/logs', { key: keyA, body: chatLog() });
    }
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('1');
    expect(a.body.error.message).toMatch(/slow-a/);
    const b = await call(s.url, 'POST', '/v1/logs', { key: keyB, body: chatLog() });
    expect(b.status).toBe(200);
    const otlpB = await call(s.url, 'POST', '/v1/traces', { key: keyB, body: { resourceSpans: [] } });
    expect(otlpB.status).toBe(200);
    await Promise.all(stalled.map((x) => x.done));
  });
});
