import type { Db } from 'mongodb';

/**
 * On FerretDB, segments' collections are spread over databases of their own, a bounded number per database.
 * FerretDB keeps a database in one SQLite file, and SQLite re-reads a file's whole schema on every connection
 * after any table or index in it is created or dropped: with every segment in the main database (3 tables and
 * 6 indexes per 1,000 logs), re-parsing the schema took 40% of FerretDB's CPU at 330,000 logs, ingest fell
 * from 2,200 to 400 logs/s and kept falling (CPU profile of the embedded database). With at most
 * SEGMENTS_PER_DATABASE segments per file, the schema a change invalidates stays small, and only that
 * file's connections re-read it.
 *
 * A segment id names its database: `<segment>_<key>` lives in `<main>_seg_<key>`; an id without a key (every
 * id on MongoDB, and ids written before this layout) lives in the main database.
 */
const KEY_SEPARATOR = '_';
const DATABASE_INFIX = '_seg_';
/** Database names are limited to 63 characters by FerretDB (64 bytes by MongoDB). */
const MAX_DATABASE_NAME = 63;
const KEY_LENGTH = 9;

/** A writer moves on to a new database after this many segments... */
export const SEGMENTS_PER_DATABASE = 100;
/** ...or once its database is this old, so that no segment is added to a database retention may drop. */
export const DATABASE_MAX_AGE_MS = 24 * 3_600_000;
/** A database with no segment left is dropped only when it is older than its writers' limit plus this margin. */
const DROP_MARGIN_MS = 3_600_000;

/** The key of a database opened at `now`: its creation time in base 36, fixed width (time order is name order). */
export const databaseKey = (now: number) => now.toString(36).padStart(KEY_LENGTH, '0');

/** The id of a segment that lives in the database of `key` (none: the main database). */
export const segmentIdIn = (segmentId: string, key: string | undefined) => (key === undefined ? segmentId : `${segmentId}${KEY_SEPARATOR}${key}`);

function keyOfSegment(segmentId: string): string | undefined {
  const at = segmentId.lastIndexOf(KEY_SEPARATOR);
  return at < 0 ? undefined : segmentId.slice(at + 1);
}

export function segmentDatabaseName(main: string, key: string): string {
  return `${main.slice(0, MAX_DATABASE_NAME - DATABASE_INFIX.length - key.length)}${DATABASE_INFIX}${key}`;
}

/** Db handles by main database and key (a handle is cheap, but reads ask for one per segment). */
const handles = new WeakMap<Db, Map<string, Db>>();

/** The database holding a segment's collections (list, bodies, pack). */
export function segmentDb(db: Db, segmentId: string): Db {
  const key = keyOfSegment(segmentId);
  if (key === undefined) return db;
  let byKey = handles.get(db);
  if (!byKey) handles.set(db, (byKey = new Map()));
  let handle = byKey.get(key);
  if (!handle) {
    // Same durability as every other write (storage/mongo/durability.ts).
    handle = db.client.db(segmentDatabaseName(db.databaseName, key), { writeConcern: db.writeConcern });
    byKey.set(key, handle);
  }
  return handle;
}

/** Segment databases of the main database `db` that exist on the server, by key. */
export async function segmentDatabases(db: Db): Promise<Map<string, string>> {
  const { databases } = await db.admin().listDatabases({ nameOnly: true });
  const out = new Map<string, string>();
  for (const { name } of databases) {
    const key = name.slice(-KEY_LENGTH);
    if (/^[0-9a-z]+$/.test(key) && name === segmentDatabaseName(db.databaseName, key)) out.set(key, name);
  }
  return out;
}

/**
 * Drops the segment databases that no segment lives in any more (after retention dropped their segments),
 * which gives their whole file back to the system. `liveSegmentIds` must be read fresh from the catalog; a
 * database young enough to still take new segments is kept whatever the catalog says.
 */
export async function dropEmptySegmentDatabases(db: Db, liveSegmentIds: string[], now = Date.now()): Promise<number> {
  const live = new Set(liveSegmentIds.map(keyOfSegment));
  let dropped = 0;
  for (const [key, name] of await segmentDatabases(db)) {
    if (live.has(key) || now - parseInt(key, 36) < DATABASE_MAX_AGE_MS + DROP_MARGIN_MS) continue;
    await db.client.db(name).dropDatabase();
    handles.get(db)?.delete(key);
    dropped++;
  }
  return dropped;
}
