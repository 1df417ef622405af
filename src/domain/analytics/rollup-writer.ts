import { isUnavailable } from '../errors.js';
import type { LogRecord } from '../logs/log-model.js';
import { type Histogram, latencyBucket } from './latency-histogram.js';
import { addStats, type Combo, comboKey, emptyStats, LEVELS, type RollupDelta, type RollupStore, type Stats, userKey } from './rollup-model.js';

/** The rollup dimensions and figures of one log. Shared with the read path's fallback (streamed logs). */
export function comboOf(r: LogRecord): Combo {
  const d = r.derived;
  return { provider: d.provider ?? '', model: d.model ?? '', status: d.statusCode, ok: d.isSuccess };
}

export function statsOf(r: LogRecord): Stats {
  const d = r.derived;
  const lat = d.responseTimeMs;
  const hasLat = typeof lat === 'number' && Number.isFinite(lat);
  return {
    n: 1,
    e: d.isSuccess ? 0 : 1,
    cost: d.cost ?? 0,
    reqTokens: d.requestTokens ?? 0,
    resTokens: d.responseTokens ?? 0,
    totTokens: d.totalTokens ?? 0,
    latSum: hasLat ? lat : 0,
    latN: hasLat ? 1 : 0,
  };
}

/** Portkey's user dimension: the `_user` metadata value. */
export const userOf = (r: LogRecord): string | undefined => r.metadata._user || undefined;

const newDelta = (): RollupDelta => ({ cells: new Map(), users: new Map(), workspaces: new Set() });

/** Adds logs to a delta: one increment per (level, cell, combo), aggregated in memory. */
export function addToDelta(delta: RollupDelta, records: LogRecord[]): void {
  for (const r of records) {
    const t = r.createdAt.getTime();
    const combo = comboKey(comboOf(r));
    const stats = statsOf(r);
    const user = userOf(r);
    const lat = stats.latN ? stats.latSum : undefined;
    delta.workspaces.add(r.workspaceId);
    LEVELS.forEach((level, li) => {
      const cellT = t - (t % level.unitMs);
      const key = `${r.workspaceId}\u0000${li}\u0000${cellT}\u0000${combo}`;
      let cell = delta.cells.get(key);
      if (!cell) delta.cells.set(key, (cell = { workspaceId: r.workspaceId, level: li, t: cellT, combo, stats: emptyStats(), hist: new Map() as Histogram }));
      addStats(cell.stats, stats);
      if (lat !== undefined) {
        const b = latencyBucket(lat);
        cell.hist.set(b, (cell.hist.get(b) ?? 0) + 1);
      }
      if (user) {
        const ukey = `${r.workspaceId}\u0000${li}\u0000${cellT}\u0000${user}`;
        const u = delta.users.get(ukey);
        if (u) {
          u.n += 1;
          u.cost += stats.cost;
        } else delta.users.set(ukey, { workspaceId: r.workspaceId, level: li, t: cellT, user: userKey(user), n: 1, cost: stats.cost });
      }
    });
  }
}

/** Adds one delta's figures to another (the figures of a failed flush to the next one). */
export function mergeDelta(into: RollupDelta, from: RollupDelta): void {
  for (const [key, cell] of from.cells) {
    const have = into.cells.get(key);
    if (!have) {
      into.cells.set(key, cell);
      continue;
    }
    addStats(have.stats, cell.stats);
    for (const [b, n] of cell.hist) have.hist.set(b, (have.hist.get(b) ?? 0) + n);
  }
  for (const [key, u] of from.users) {
    const have = into.users.get(key);
    if (!have) into.users.set(key, u);
    else {
      have.n += u.n;
      have.cost += u.cost;
    }
  }
  for (const w of from.workspaces) into.workspaces.add(w);
}

/** Wait before a failed flush's figures are written again when no new logs come to carry them. */
const RETRY_MS = 1000;

/**
 * Group commit: logs handed over while a write is in flight are merged into the next one, so under load the
 * rollups cost one set of upserts per flush rather than per batch. `add` resolves once the logs' figures are
 * stored, so an acknowledged ingest is counted (a client's retry is not double-counted: only newly inserted logs
 * reach here). A flush that fails rejects its callers, whose logs are stored all the same, so when the database
 * was unavailable what it left unwritten is carried into the next flush (or written again after RETRY_MS): analytics keep adding up to the
 * stored logs through a database restart, not only to the acknowledged ones.
 */
export function createRollupWriter(store: RollupStore) {
  let pending: { delta: RollupDelta; done: Promise<void> } | undefined;
  let tail: Promise<unknown> = Promise.resolve();
  let carried: RollupDelta | undefined;
  let retry: NodeJS.Timeout | undefined;

  function nextFlush(): { delta: RollupDelta; done: Promise<void> } {
    if (pending) return pending;
    const mine = { delta: newDelta(), done: undefined as unknown as Promise<void> };
    mine.done = tail.then(async () => {
      if (pending === mine) pending = undefined;
      if (carried) mergeDelta(mine.delta, carried);
      carried = undefined;
      try {
        await store.apply(mine.delta);
      } catch (err) {
        // Only figures the database could not take now are kept: a write it refused would be refused again, and
        // would take the figures of every later flush down with it.
        if (!isUnavailable(err)) throw err;
        carried = mine.delta;
        if (!retry) {
          retry = setTimeout(() => {
            retry = undefined;
            if (carried) nextFlush().done.catch(() => undefined);
          }, RETRY_MS).unref();
        }
        throw err;
      }
    });
    tail = mine.done.catch(() => undefined);
    pending = mine;
    return mine;
  }

  return {
    add(records: LogRecord[]): Promise<void> {
      if (records.length === 0) return Promise.resolve();
      const flush = nextFlush();
      addToDelta(flush.delta, records);
      return flush.done;
    },
  };
}
export type RollupWriter = ReturnType<typeof createRollupWriter>;
