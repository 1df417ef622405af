import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { chatLog, countLogs, postLogs } from '../logs/fixtures.js';
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
});
