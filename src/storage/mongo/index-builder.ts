import type { Db, IndexDescription } from 'mongodb';

/** An index the service relies on; `name` is how it is found again at the next start. */
export type IndexSpec = IndexDescription & { name: string };

export interface IndexBuildStatus {
  /** `building` while indexes are being created in the background; `failed` if one could not be built. */
  state: 'ready' | 'building' | 'failed';
  /** "collection.index" names still to build (or being built). */
  pending: string[];
  failed: string[];
}

/** Collects index builds started by any caller (start-up, per-segment collections created later). */
export interface IndexBuildTracker {
  status(): IndexBuildStatus;
  /** Settles when every build queued so far has finished (tests, shutdown). */
  idle(): Promise<void>;
  enqueue(label: string, build: () => Promise<void>): void;
}

export interface IndexLog {
  info(detail: object, msg: string): void;
  warn(detail: object, msg: string): void;
  error(detail: object, msg: string): void;
}

const silent: IndexLog = { info: () => {}, warn: () => {}, error: () => {} };

export function createIndexBuildTracker(log: IndexLog = silent): IndexBuildTracker {
  const pending: string[] = [];
  const failed: string[] = [];
  // One build at a time: a second concurrent build on a big collection only competes with the first.
  let chain: Promise<void> = Promise.resolve();
  return {
    status: () => ({ state: failed.length ? 'failed' : pending.length ? 'building' : 'ready', pending: [...pending], failed: [...failed] }),
    idle: () => chain,
    enqueue(label, build) {
      pending.push(label);
      chain = chain.then(async () => {
        const started = Date.now();
        try {
          await build();
          log.info({ index: label, ms: Date.now() - started }, 'index built');
        } catch (err) {
          failed.push(label);
          log.error({ index: label, err }, 'index build failed');
        } finally {
          pending.splice(pending.indexOf(label), 1);
        }
      });
    },
  };
}

/** Key shape as an ordered list: { a: 1, b: -1 } and { b: -1, a: 1 } are different indexes. */
const shapeOf = (key: unknown) => JSON.stringify(Object.entries(key as Record<string, unknown>));
const sameIndex = (existing: { key: unknown; unique?: boolean }, spec: IndexSpec) =>
  shapeOf(existing.key) === shapeOf(spec.key) && Boolean(existing.unique) === Boolean(spec.unique);

/**
 * Makes each collection hold exactly the indexes in `specs`, compared by key shape and uniqueness, not only by name:
 * - a missing collection is created;
 * - an index whose shape changed is dropped and built again (logged with both shapes);
 * - missing indexes are built in the background through `tracker` (readiness is not held back; /healthz shows
 *   the build state), except unique ones, which guard correctness and are built before this resolves.
 * Reusable for any collection, including ones created at run time (per-segment log collections).
 */
export async function ensureIndexes(db: Db, specs: Record<string, IndexSpec[]>, tracker: IndexBuildTracker, log: IndexLog = silent): Promise<void> {
  const existing = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  for (const [name, indexes] of Object.entries(specs)) {
    if (!existing.has(name)) {
      try {
        await db.createCollection(name);
      } catch (err) {
        // Another process created it between our list and create.
        if ((err as { codeName?: string }).codeName !== 'NamespaceExists') throw err;
      }
    }
    const col = db.collection(name);
    const present = new Map((await col.listIndexes().toArray()).map((i) => [i.name as string, i as { key: unknown; unique?: boolean }]));
    for (const spec of indexes) {
      const current = present.get(spec.name);
      if (current && sameIndex(current, spec)) continue;
      // The same shape under another name already serves the purpose (an index created by hand, or renamed).
      const twin = [...present.entries()].find(([n, i]) => n !== '_id_' && sameIndex(i, spec));
      if (!current && twin) {
        log.info({ collection: name, index: spec.name, existing: twin[0] }, 'index already present under another name');
        continue;
      }
      // One index per createIndexes call: FerretDB 1.24 panics on a multi-index call whose indexes already exist.
      const build = async () => {
        if (current) {
          log.warn(
            {
              collection: name,
              index: spec.name,
              from: { key: current.key, unique: Boolean(current.unique) },
              to: { key: spec.key, unique: Boolean(spec.unique) },
            },
            'index definition changed; rebuilding it',
          );
          await col.dropIndex(spec.name);
        }
        await col.createIndexes([spec]);
      };
      if (spec.unique) await build();
      else tracker.enqueue(`${name}.${spec.name}`, build);
    }
  }
}
