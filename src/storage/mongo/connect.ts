import { MongoClient, type Db } from 'mongodb';
import type { Config } from '../../config.js';
import { startEmbeddedFerret, type EmbeddedDatabase } from '../embedded/ferretdb.js';

export interface Database {
  client: MongoClient;
  db: Db;
  /** True when we started the server ourselves (FerretDB). */
  embedded: boolean;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export async function connectDatabase(
  config: Pick<Config, 'MONGODB_URI' | 'MONGODB_DB' | 'DATA_DIR'>,
  log: (msg: string) => void = () => {},
): Promise<Database> {
  let embedded: EmbeddedDatabase | undefined;
  let uri = config.MONGODB_URI;
  if (!uri) {
    embedded = await startEmbeddedFerret({ handler: 'sqlite', dataDir: config.DATA_DIR, log });
    uri = embedded.uri;
    log(`embedded FerretDB listening at ${uri} (data in ${config.DATA_DIR})`);
  }
  // ignoreUndefined: optional fields are simply absent from stored documents, with no filtering pass.
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000, appName: 'logport', ignoreUndefined: true });
  try {
    await client.connect();
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
  const db = client.db(config.MONGODB_DB);
  return {
    client,
    db,
    embedded: embedded !== undefined,
    async ping() {
      try {
        await db.command({ ping: 1 }, { timeoutMS: 2000 });
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await client.close();
      await embedded?.stop();
    },
  };
}
