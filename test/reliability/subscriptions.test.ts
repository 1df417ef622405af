import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExport, startExport, until } from '../helpers/exports.js';
import { wsClient } from '../helpers/graphql.js';
import { call, createKey } from '../helpers/http.js';
import { ROOT_KEY, startTestServer, type TestServer } from '../helpers/server.js';

const WATCH = `subscription($id: ID!) { exportStatusChanged(id: $id) { id status downloadUrl } }`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Watch {
  events: any[];
  errors: any[] | undefined;
  ended: Promise<void>;
  unsubscribe(): void;
}

function watch(client: Client, id: string): Watch {
  const w = { events: [] as any[], errors: undefined as any[] | undefined } as Watch;
  w.ended = new Promise<void>((resolve) => {
    w.unsubscribe = client.subscribe(
      { query: WATCH, variables: { id } },
      {
        next: (r) => w.events.push(r.data?.exportStatusChanged ?? r),
        error: (e) => {
          w.errors = Array.isArray(e) ? e : [e];
          resolve();
        },
        complete: () => resolve(),
      },
    );
  });
  return w;
}

describe('exportStatusChanged over graphql-ws: no leaked pollers, keys re-checked', () => {
  let s: TestServer;
  const clients: Client[] = [];
  beforeAll(async () => {
    s = await startTestServer({ JOBS_POLL_INTERVAL_MS: '100' });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await s.stop();
  });
  const stats = () => s.app.services.exports.watchStats();

  it('N clients on one unfinished export share one poller; unsubscribing or disconnecting stops all polling', async () => {
    const N = 20;
    // A draft never changes by itself: the case where the old per-subscriber loop never noticed an unsubscribe.
    const { id } = await createExport(s, { filters: {}, requested_data: ['id'] });
    const readsBefore = stats().reads;
    const watches = Array.from({ length: N }, () => {
      const c = wsClient(s.url, { apiKey: ROOT_KEY });
      clients.push(c);
      return { client: c, w: watch(c, id) };
    });
    await until(
      'every client to get the current state',
      async () => watches.filter((x) => x.w.events.length > 0).length,
      (n) => n === N,
    );
    expect(stats()).toMatchObject({ pollers: 1, subscribers: N });

    const t0 = Date.now();
    const r0 = stats().reads;
    await sleep(2000);
    const readsWhileWatched = stats().reads - r0;
    const perSecond = readsWhileWatched / ((Date.now() - t0) / 1000);
    // One poller at 500 ms: ~2 reads/s whatever N is (the old code made N x 2).
    expect(perSecond).toBeLessThanOrEqual(3);

    // Half unsubscribe, half close their socket.
    watches.slice(0, N / 2).forEach((x) => x.w.unsubscribe());
    await Promise.all(watches.slice(N / 2).map((x) => x.client.dispose()));
    await until(
      'pollers to stop',
      async () => stats(),
      (st) => st.pollers === 0 && st.subscribers === 0,
      3000,
    );
    const r1 = stats().reads;
    await sleep(1500);
    expect(stats().reads - r1).toBe(0);
    console.log(
      `subscriptions: ${N} clients, ${readsWhileWatched} reads in 2 s while watched (${perSecond.toFixed(1)}/s), ${stats().reads - readsBefore} in all, 0 after disconnect`,
    );
  });

  it("a revoked key's subscription ends with an error and never receives a download link", async () => {
    const ws = 'ws-revoke';
    const { id: keyId, key } = await createKey(s.url, { workspace: ws, scopes: ['logs.export'] });
    const { id } = await createExport(s, { workspace_id: ws, filters: {}, requested_data: ['id'] }, key);
    const c = wsClient(s.url, { apiKey: key });
    const root = wsClient(s.url, { apiKey: ROOT_KEY });
    clients.push(c, root);
    const revoked = watch(c, id);
    const control = watch(root, id);
    await until(
      'both to get the current state',
      async () => revoked.events.length + control.events.length,
      (n) => n === 2,
    );

    expect((await call(s.url, 'DELETE', `/v1/api-keys/${keyId}`)).status).toBe(200);
    await startExport(s, id); // no logs: succeeds within a job poll
    await control.ended;
    expect(control.events.at(-1)).toMatchObject({ status: 'SUCCESS', downloadUrl: expect.stringContaining('/file?') });

    await Promise.race([revoked.ended, sleep(8000)]);
    expect(revoked.errors?.[0]?.message).toMatch(/API key/i);
    expect(revoked.events.every((e) => e.downloadUrl === null)).toBe(true);
    expect(stats()).toMatchObject({ pollers: 0, subscribers: 0 });
  });

  it("a revoked key's subscription to an export that never changes still ends (periodic re-check)", async () => {
    const ws = 'ws-revoke-idle';
    const { id: keyId, key } = await createKey(s.url, { workspace: ws, scopes: ['logs.export'] });
    const { id } = await createExport(s, { workspace_id: ws, filters: {}, requested_data: ['id'] }, key);
    const c = wsClient(s.url, { apiKey: key });
    clients.push(c);
    const w = watch(c, id);
    await until(
      'the current state',
      async () => w.events.length,
      (n) => n === 1,
    );
    expect((await call(s.url, 'DELETE', `/v1/api-keys/${keyId}`)).status).toBe(200);
    const t0 = Date.now();
    await Promise.race([w.ended, sleep(8000)]);
    expect(w.errors?.[0]?.message).toMatch(/API key/i);
    expect(Date.now() - t0).toBeLessThan(7000);
    expect(stats()).toMatchObject({ pollers: 0, subscribers: 0 });
  });
});
