import type { LogFilter } from '../logs/log-filter.js';
import type { LogRepository } from '../logs/log-model.js';
import { type Histogram, latencyBucket, mergeInto } from './latency-histogram.js';
import {
  addStats,
  type Cell,
  type Combo,
  comboKey,
  DAY,
  emptyStats,
  HOUR,
  LEVELS,
  MINUTE,
  type RollupParts,
  type RollupStore,
  type Stats,
  type UserCell,
} from './rollup-model.js';
import { comboOf, statsOf, userOf } from './rollup-writer.js';

/** Figures of one time bucket, per combo, plus its users. */
export interface Bucket {
  t: number;
  combos: Map<string, { combo: Combo; stats: Stats; hist: Histogram }>;
  users: Map<string, { n: number; cost: number }>;
}

export interface AggregateResult {
  bucketMs: number;
  buckets: Bucket[];
  /** How it was answered: from rollups, or by reading the matching logs. */
  source: 'rollups' | 'logs';
}

/**
 * Bucket size follows the range, as Portkey's dashboards do: minutes up to an hour, hours up to two days,
 * days beyond. Buckets are UTC-aligned; the first one starts at or before `from`.
 */
export function bucketSizeFor(from: Date, to: Date): number {
  const span = to.getTime() - from.getTime();
  if (span <= HOUR) return MINUTE;
  if (span <= 2 * DAY) return HOUR;
  return DAY;
}

/** Filter keys the rollup dimensions can answer; anything else reads the matching logs. */
const ROLLUP_KEYS = new Set(['from', 'to', 'model', 'provider', 'providerModel', 'statusCode', 'isSuccess']);

export function comboPredicate(f: LogFilter): (c: Combo) => boolean {
  const models = f.model && new Set(f.model);
  const providers = f.provider && new Set(f.provider);
  const statuses = f.statusCode && new Set(f.statusCode);
  const pairs = f.providerModel && new Set(f.providerModel.map((p) => `${p.provider}\u0000${p.model}`));
  return (c) =>
    (!models || models.has(c.model)) &&
    (!providers || providers.has(c.provider)) &&
    (!statuses || statuses.has(c.status)) &&
    (f.isSuccess === undefined || f.isSuccess === c.ok) &&
    (!pairs || pairs.has(`${c.provider}\u0000${c.model}`));
}

/**
 * [from, to) covered by whole cells, coarsest first: e.g. 09:58:58.250 .. 11:01:01.500 becomes the logs of
 * 09:58:58.250-09:58:59.999, the minute cell 09:59, the hour cell 10:00, the minute cell 11:00 and the logs of
 * 11:01:00.000-11:01:01.499.
 */
export function coverRange(from: number, to: number, maxUnitMs: number) {
  const cells: { level: number; from: number; to: number }[] = [];
  const logs: { from: number; to: number }[] = [];
  const first = LEVELS.findIndex((l) => l.unitMs <= maxUnitMs);
  const cover = (a: number, b: number, li: number) => {
    if (a >= b) return;
    const lv = LEVELS[li];
    if (!lv) {
      logs.push({ from: a, to: b });
      return;
    }
    const A = Math.ceil(a / lv.unitMs) * lv.unitMs;
    const B = Math.floor(b / lv.unitMs) * lv.unitMs;
    if (A >= B) return cover(a, b, li + 1);
    cells.push({ level: li, from: A, to: B });
    cover(a, A, li + 1);
    cover(B, b, li + 1);
  };
  cover(from, to, first);
  return { cells, logs };
}

export async function aggregate(
  deps: { rollups: RollupStore; logs: LogRepository },
  workspaceId: string,
  filter: LogFilter & { from: Date; to: Date },
  parts: RollupParts,
): Promise<AggregateResult> {
  const bucketMs = bucketSizeFor(filter.from, filter.to);
  const from = filter.from.getTime();
  const to = filter.to.getTime() + 1; // `to` is inclusive, like export filters
  const origin = from - (from % bucketMs);
  const buckets: Bucket[] = [];
  for (let t = origin; t < to; t += bucketMs) buckets.push({ t, combos: new Map(), users: new Map() });
  const bucketOf = (t: number) => buckets[Math.floor((t - origin) / bucketMs)];

  const addCell = (c: Cell, accept: (c: Combo) => boolean) => {
    if (!accept(c.combo)) return;
    const b = bucketOf(c.t);
    if (!b) return;
    const k = comboKey(c.combo);
    let acc = b.combos.get(k);
    if (!acc) b.combos.set(k, (acc = { combo: c.combo, stats: emptyStats(), hist: new Map() }));
    addStats(acc.stats, c.stats);
    if (c.hist) mergeInto(acc.hist, c.hist);
  };
  const addUser = (u: UserCell) => {
    const b = bucketOf(u.t);
    if (!b) return;
    const acc = b.users.get(u.user);
    if (acc) {
      acc.n += u.n;
      acc.cost += u.cost;
    } else b.users.set(u.user, { n: u.n, cost: u.cost });
  };

  const keys = Object.keys(filter);
  const hasComboFilter = keys.some((k) => k !== 'from' && k !== 'to');
  const rollupsCan = keys.every((k) => ROLLUP_KEYS.has(k)) && !(parts.users && hasComboFilter);
  if (rollupsCan) {
    const accept = comboPredicate(filter);
    const plan = coverRange(from, to, Math.min(HOUR, bucketMs));
    const [cells] = await Promise.all([
      deps.rollups.readCells(workspaceId, plan.cells, parts),
      // The seconds outside whole minutes at either end (to = last millisecond: filter bounds are inclusive).
      ...plan.logs.map((p) => addLogs({ ...filter, from: new Date(p.from), to: new Date(p.to - 1) })),
    ]);
    for (const c of cells.cells) addCell(c, accept);
    if (parts.users) for (const u of cells.users) addUser(u);
    return { bucketMs, buckets, source: 'rollups' };
  }
  // Filters the rollups cannot answer: read the matching logs of the range (bounded by from/to).
  await addLogs(filter);
  return { bucketMs, buckets, source: 'logs' };

  async function addLogs(f: LogFilter) {
    const all = () => true;
    for await (const r of deps.logs.streamMatching(workspaceId, f, {}, { withoutHeaders: true })) {
      const stats = statsOf(r);
      const t = r.createdAt.getTime();
      addCell({ t, combo: comboOf(r), stats, ...(stats.latN && { hist: new Map([[latencyBucket(stats.latSum), 1]]) }) }, all);
      const user = userOf(r);
      if (user) addUser({ t, user, n: 1, cost: stats.cost });
    }
  }
}
