import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { chatLog, countLogs, postLogs, trpcQuery } from '../logs/fixtures.js';
import { startWireFaultProxy, type WireFaultProxy } from './wire-fault-proxy.js';
import { metaPair } from '../../src/storage/mongo/segments/segment-docs.js';

/**
 * A batch whose insert is executed but whose acknowledgement is lost (connection reset after commit) used to be
 * answered with an error although it was stored, so a client retrying stored logs twice. The insert is now
 * retried inside the request (ids are fixed and duplicates keep the first copy): one 200, every log once.
 */
let proxy: WireFaultProxy;
let s: TestServer;
beforeAll(async () => {
  proxy = await startWireFaultProxy(inject('mongoUri'));
  s = await startTestServer({ MONGODB_URI: proxy.uri });
});
afterAll(async () => {
  await s?.stop();
  await proxy?.close();
});

describe('a lost insert acknowledgement', () => {
  it('is retried inside the request: 200, and every log of the batch stored exactly once', async () => {
    const batch = Array.from({ length: 40 }, (_, i) => chatLog({ metadata: { run: 'lost-ack', n: i } }));
    // Ids the server generates are not claimed on the embedded database: the first write is the bodies'.
    proxy.loseNextReply('insert', /^logs_.+_bodies$/);
    const res = await postLogs(s, batch);
    expect(proxy.lost).toBe(1);
    expect(res.status).toBe(200);
    expect(res.body.data.log_ids).toHaveLength(40);
    expect(await countLogs(s, { meta: metaPair('run', 'lost-ack') })).toBe(40);
  });

  it('of the id claims of client ids is retried the same way', async () => {
    const batch = Array.from({ length: 40 }, (_, i) => chatLog({ id: `lost-claim-${i}`, metadata: { run: 'lost-claim', n: i } }));
    // The first write of a batch with client ids claims them in log_ids (the segment inserts follow).
    proxy.loseNextReply('insert', 'log_ids');
    const res = await postLogs(s, batch);
    expect(proxy.lost).toBe(2);
    expect(res.status).toBe(200);
    expect(res.body.data.log_ids).toHaveLength(40);
    expect(await countLogs(s, { meta: metaPair('run', 'lost-claim') })).toBe(40);
  });

  it('of a list batch leaves a second copy on disk that every read shows once', async () => {
    const batch = Array.from({ length: 40 }, (_, i) => chatLog({ metadata: { run: 'lost-list', n: String(i) } }));
    // A write's list documents go in as one batch document (the segment's list collection, named logs_<segment>).
    proxy.loseNextReply('insert', /^logs_(?!.*_bodies$)(?!.*_pack$)/);
    const res = await postLogs(s, batch);
    expect(proxy.lost).toBe(3);
    expect(res.status).toBe(200);
    const ids: string[] = res.body.data.log_ids;
    expect(new Set(ids).size).toBe(40);
    // This process reads its open segment from memory; another one reads the collection, both copies included.
    const other = await startTestServer({ MONGODB_DB: s.dbName });
    try {
      for (const server of [s, other]) {
        const page = await trpcQuery(server, 'logs.list', { workspaceId: 'default', filter: { metadata: { run: 'lost-list' } }, first: 100 });
        expect(page.status).toBe(200);
        expect(page.body.result.data.totalCount).toBe(40);
        expect(page.body.result.data.items.map((l: { id: string }) => l.id).sort()).toEqual([...ids].sort());
      }
    } finally {
      await other.app.stop();
    }
  });
});
