import { Agent, request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { call } from '../helpers/http.js';
import { ROOT_KEY, startTestServer, type TestServer } from '../helpers/server.js';
import { chatLog } from '../logs/fixtures.js';

type Outcome = { kind: 'ok' | 'status' | 'refused' | 'reset'; status?: number; ids: string[] };

/** One POST of `ids` as logs over a kept-alive agent; classifies how it ended. */
function post(base: URL, agent: Agent, ids: string[]): Promise<Outcome> {
  const body = JSON.stringify(ids.map((id) => chatLog({ id })));
  return new Promise((resolve) => {
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        path: '/v1/logs',
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'x-portkey-api-key': ROOT_KEY, 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => {
          if (res.statusCode === 200 && JSON.parse(text).data.log_ids.length === ids.length) resolve({ kind: 'ok', ids });
          else resolve({ kind: 'status', status: res.statusCode, ids });
        });
        res.on('error', () => resolve({ kind: 'reset', ids }));
      },
    );
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ kind: err.code === 'ECONNREFUSED' ? 'refused' : 'reset', ids }));
    req.end(body);
  });
}

describe('Shutdown under keep-alive load', () => {
  let s: TestServer;
  let reader: TestServer | undefined;
  afterAll(async () => {
    await reader?.stop();
  });

  it('stops accepting, closes kept-alive connections, finishes in-flight requests: none dropped, well under the timeout', async () => {
    const TIMEOUT = 5000;
    s = await startTestServer({ SHUTDOWN_TIMEOUT_MS: String(TIMEOUT) });
    const base = new URL(s.url);
    const CLIENTS = 8;
    const outcomes: Outcome[] = [];
    let seq = 0;
    const clients = Array.from({ length: CLIENTS }, async (_, c) => {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      for (;;) {
        const ids = Array.from({ length: 5 }, (_v, i) => `sd-${c}-${seq++}-${i}`);
        const o = await post(base, agent, ids);
        outcomes.push(o);
        // A refused connection means the listener is gone: this client moves on (to another instance).
        if (o.kind === 'refused') break;
        if (o.kind === 'reset' && outcomes.filter((x) => x.kind !== 'ok').length > 200) break;
      }
      agent.destroy();
    });
    await new Promise((r) => setTimeout(r, 1500));
    const acceptedBefore = outcomes.filter((o) => o.kind === 'ok').length;
    const t0 = Date.now();
    await s.app.stop();
    const shutdownMs = Date.now() - t0;
    await Promise.all(clients);

    const ok = outcomes.filter((o) => o.kind === 'ok');
    const fivexx = outcomes.filter((o) => o.kind === 'status' && (o.status ?? 0) >= 500);
    const resets = outcomes.filter((o) => o.kind === 'reset');
    const refused = outcomes.filter((o) => o.kind === 'refused');

    // Read back through a fresh server on the same database: every acknowledged log is stored, and no
    // request was processed without its answer reaching the client.
    reader = await startTestServer({ MONGODB_DB: s.dbName });
    const exists = async (id: string) => (await call(reader!.url, 'GET', `/v1/logs/${id}`)).status === 200;
    const sample = ok.filter((_o, i) => i % Math.max(1, Math.floor(ok.length / 20)) === 0);
    const lost = (await Promise.all(sample.map((o) => exists(o.ids[0]!)))).filter((e) => !e).length;
    const processedUnanswered = (await Promise.all(resets.map((o) => exists(o.ids[0]!)))).filter(Boolean).length;
    const total = (await call(reader.url, 'GET', `/trpc/logs.list?input=${encodeURIComponent(JSON.stringify({ first: 1 }))}`)).body.result.data.totalCount;

    console.log(
      `shutdown under load: ${CLIENTS} keep-alive clients, ${outcomes.length} requests (${acceptedBefore} before SIGTERM), ` +
        `${ok.length} ok, ${fivexx.length} 5xx, ${resets.length} reset (${processedUnanswered} of them processed), ${refused.length} refused, ` +
        `${lost} acknowledged-but-missing in a sample of ${sample.length}, ${total} logs stored for ${ok.length * 5} acknowledged, shutdown ${shutdownMs} ms`,
    );
    expect(fivexx).toHaveLength(0);
    expect(processedUnanswered).toBe(0);
    expect(lost).toBe(0);
    expect(total).toBe(ok.length * 5);
    expect(refused.length).toBeGreaterThan(0);
    expect(shutdownMs).toBeLessThan(TIMEOUT / 2);
  }, 60_000);
});
