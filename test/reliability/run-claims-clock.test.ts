import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { uniqueDbName } from '../helpers/server.js';
import { createRunClaims } from '../../src/storage/mongo/run-claims.js';

/**
 * Export run claims are leases. Their expiry must come from the database's clock: a worker whose clock runs an
 * hour ahead would otherwise see every live lease as expired and take over a run another worker is writing.
 */
let client: MongoClient;
const dbName = uniqueDbName();
beforeAll(async () => {
  client = await new MongoClient(inject('mongoUri')).connect();
});
afterAll(async () => {
  await client
    .db(dbName)
    .dropDatabase()
    .catch(() => undefined);
  await client.close();
});

describe('run claims across skewed clocks', () => {
  it('a worker whose clock is an hour ahead cannot take over a live claim', async () => {
    const claims = createRunClaims(client.db(dbName));
    expect(await claims.claim('exp-1', 1, 'worker-a', 30_000)).toBe(true);
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 3_600_000 });
    try {
      expect(await claims.claim('exp-1', 1, 'worker-b', 30_000)).toBe(false);
    } finally {
      vi.useRealTimers();
    }
    expect(await claims.renew('exp-1', 1, 'worker-a')).toBe(true);
  });

  it('a live claim taken by a worker whose clock is an hour behind is not taken over by a correct one', async () => {
    const claims = createRunClaims(client.db(dbName));
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() - 3_600_000 });
    try {
      expect(await claims.claim('exp-2', 1, 'slow-worker', 30_000)).toBe(true);
    } finally {
      vi.useRealTimers();
    }
    expect(await claims.claim('exp-2', 1, 'worker-b', 30_000)).toBe(false);
    expect(await claims.renew('exp-2', 1, 'slow-worker')).toBe(true);
  });

  it('an expired claim is taken over', async () => {
    const claims = createRunClaims(client.db(dbName));
    expect(await claims.claim('exp-3', 1, 'worker-a', 200)).toBe(true);
    await new Promise((r) => setTimeout(r, 400));
    expect(await claims.claim('exp-3', 1, 'worker-b', 30_000)).toBe(true);
    expect(await claims.renew('exp-3', 1, 'worker-a')).toBe(false);
  });
});
