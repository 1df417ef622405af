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

/**
 * Group commit: logs handed over while a write is in flight are merged into the next one, so under load the
 * rollups cost one set of upserts per flush rather than per batch. `add` resolves once the logs' figures are
 * stored, so an acknowledged ingest is counted (a failed write rejects, and the client's retry is not
 * double-counted because only newly inserted logs reach here).
 */
export function createRollupWriter(store: RollupStore) {
  let pending: { delta: RollupDelta; done: Promise<void> } | undefined;
  let tail: Promise<unknown> = Promise.resolve();
  return {
    add(records: LogRecord[]): Promise<void> {
      if (records.length === 0) return Promise.resolve();
      if (!pending) {
        const mine = { delta: newDelta(), done: undefined as unknown as Promise<void> };
        mine.done = tail.then(() => {
          if (pending === mine) pending = undefined;
          return store.apply(mine.delta);
        });
        tail = mine.done.catch(() => undefined);
        pending = mine;
      }
      addToDelta(pending.delta, records);
      return pending.done;
    },
  };
}
export type RollupWriter = ReturnType<typeof createRollupWriter>;
