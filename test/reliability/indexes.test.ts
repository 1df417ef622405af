import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { call } from '../helpers/http.js';
import { startTestServer, uniqueDbName, type TestServer } from '../helpers/server.js';
import { INDEXES } from '../../src/storage/mongo/collections.js';

/**
 * Indexes are compared by key shape, not only by name: an index whose definition changed is rebuilt at start-up,
 * missing ones are built without holding back readiness, and /healthz reports the build state.
 */
let client: MongoClient;
let s: TestServer | undefined;
const dbName = uniqueDbName();
beforeAll(async () => {
  client = await new MongoClient(inject('mongoUri')).connect();
  // A database left by an older version: same index name, another key shape.
  await client.db(dbName).collection('logs').createIndex({ trace_id: 1 }, { name: 'workspace_trace' });
});
afterAll(async () => {
  await s?.stop();
  await client.close();
});

const shapes = async (collection: string) =>
  Object.fromEntries((await client.db(dbName).collection(collection).listIndexes().toArray()).map((i) => [i.name, JSON.stringify(Object.entries(i.key))]));

describe('index start-up', () => {
  it('rebuilds an index whose key shape changed, builds missing ones in the background, and reports it in /healthz', async () => {
    s = await startTestServer({ MONGODB_DB: dbName });
    // Serving before the background builds are known to be done.
    const health = await call(s.url, 'GET', '/healthz', { key: null });
    expect(health.status).toBe(200);
    expect(['building', 'ready']).toContain(health.body.indexes.state);
    await s.app.indexBuilds.idle();
    expect((await call(s.url, 'GET', '/healthz', { key: null })).body.indexes).toEqual({ state: 'ready', pending: [], failed: [] });
    for (const [collection, specs] of Object.entries(INDEXES)) {
      const present = await shapes(collection);
      for (const spec of specs) expect(present[spec.name], `${collection}.${spec.name}`).toBe(JSON.stringify(Object.entries(spec.key)));
    }
  });
});
