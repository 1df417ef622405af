import { type Db, MongoClient } from 'mongodb';
import { afterAll, beforeAll, inject } from 'vitest';
import { uniqueDbName } from './server.js';
import { dropWithSegments } from './drop-database.js';

/**
 * A database of its own on the run's server, for tests that talk to storage directly (no Logport server):
 * connected before the file's tests, dropped after them. `db()` is valid inside tests and hooks.
 */
export function scratchDatabase(): { db: () => Db } {
  let client: MongoClient;
  const name = uniqueDbName();
  beforeAll(async () => {
    client = await new MongoClient(inject('mongoUri')).connect();
  });
  afterAll(async () => {
    if (client) await dropWithSegments(client.db(name));
    await client?.close();
  });
  return { db: () => client.db(name) };
}
