import { MongoClient, type Db } from 'mongodb';
import type { Config } from '../../config.js';
import { restartBackoff, superviseEmbeddedFerret, type SupervisedDatabase } from '../embedded/supervisor.js';
import { writeConcernFor } from './durability.js';

export interface Database {
  client: MongoClient;
  db: Db;
  /** True when we started the server ourselves (FerretDB). */
  embedded: boolean;
  /** False while the embedded server is known to be down (requests fail fast with 503 instead of waiting). */
  available(): boolean;
  /** The embedded server's process id (fault tests kill it). */
  embeddedPid?(): number;
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

export interface DatabaseEvents {
  info(msg: string): void;
  error(detail: object, msg: string): void;
  /** The embedded database could not be brought back: the process should exit non-zero. */
  fatal(err: Error): void;
}

const quiet: DatabaseEvents = { info: () => {}, error: () => {}, fatal: () => {} };

export async function connectDatabase(
  config: Pick<Config, 'MONGODB_URI' | 'MONGODB_DB' | 'DATA_DIR' | 'MONGODB_WRITE_CONCERN' | 'EMBEDDED_DB_RESTARTS'>,
  events: DatabaseEvents = quiet,
): Promise<Database> {
  let embedded: SupervisedDatabase | undefined;
  let uri = config.MONGODB_URI;
  if (!uri) {
    embedded = await superviseEmbeddedFerret(
      { handler: 'sqlite', dataDir: config.DATA_DIR, log: events.info },
      {
        onDown: (d) => events.error({ code: d.code, signal: d.signal, stderr: d.stderr }, 'embedded FerretDB died; restarting it'),
        onRestarted: (d) => events.error({ attempt: d.attempt, downMs: d.downMs }, 'embedded FerretDB restarted'),
        onRestartFailed: (d) => events.error({ attempt: d.attempt, err: d.err, nextInMs: d.nextInMs }, 'embedded FerretDB restart failed'),
        onGiveUp: (err) => events.fatal(err),
      },
      { backoffMs: restartBackoff(config.EMBEDDED_DB_RESTARTS) },
    );
    uri = embedded.uri;
    events.info(`embedded FerretDB listening at ${uri} (data in ${config.DATA_DIR})`);
  }
  // ignoreUndefined: optional fields are simply absent from stored documents, with no filtering pass.
  // A short server selection: a database that is down answers 503 within seconds rather than holding requests.
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 5_000, appName: 'logport', ignoreUndefined: true });
  try {
    await client.connect();
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
  // Acknowledged means durable: every write (logs, exports, claims, files, jobs) uses this write concern.
  const db = client.db(config.MONGODB_DB, { writeConcern: writeConcernFor(config.MONGODB_WRITE_CONCERN) });
  return {
    client,
    db,
    embedded: embedded !== undefined,
    available: () => embedded?.up() ?? true,
    ...(embedded && { embeddedPid: embedded.pid }),
    async ping() {
      if (embedded && !embedded.up()) return false;
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
