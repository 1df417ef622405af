import type { Db } from 'mongodb';
import { segmentDatabases } from '../../src/storage/mongo/segments/segment-databases.js';

/** Drops a test's database with the segment databases that belong to it (on FerretDB segments live apart). */
export async function dropWithSegments(db: Db): Promise<void> {
  for (const name of (await segmentDatabases(db)).values()) await db.client.db(name).dropDatabase();
  await db.dropDatabase();
}
