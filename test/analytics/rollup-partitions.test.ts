import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToDelta } from '../../src/domain/analytics/rollup-writer.js';
import type { LogRecord } from '../../src/domain/logs/log-model.js';
import { COLLECTIONS } from '../../src/storage/mongo/collections.js';
import { createRollupRepository } from '../../src/storage/mongo/rollup-repository.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

const HOUR = 3_600_000;
const t0 = Date.UTC(2026, 0, 31, 22); // 5 hours across a day and a month boundary: several partitions
const WS = 'ws|rollup-move'; // a `|` in the workspace must not confuse the move

function records(n: number): LogRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    workspaceId: WS,
    createdAt: new Date(t0 + i * 10 * 60_000),
    metadata: { _user: `u-${i % 3}` },
    derived: { provider: 'openai', model: 'gpt-4o', statusCode: 200, isSuccess: true, cost: 0.5, totalTokens: 10, responseTimeMs: 300 },
  })) as unknown as LogRecord[];
}

describe('analytics rollups on the embedded database', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  it('rollups written to the single collection by an earlier version are moved to their partitions and still count', async () => {
    const db = s.app.database.db;
    const delta = { cells: new Map(), users: new Map(), workspaces: new Set<string>() };
    addToDelta(delta as never, records(30));
    await createRollupRepository(db).apply(delta as never);
    const before = await db.collection(COLLECTIONS.analyticsRollups).countDocuments({ _id: { $regex: '^ws\\|rollup-move' } as never });
    expect(before).toBeGreaterThan(4);

    const partitioned = createRollupRepository(db, { partitioned: true });
    const day = 24 * HOUR;
    const from = t0 - (t0 % day);
    const { cells } = await partitioned.readCells(WS, [{ level: 0, from, to: from + 3 * day }], { hist: false, users: false } as never);
    expect(cells.reduce((n, c) => n + c.stats.n, 0)).toBe(30);
    expect(cells.reduce((n, c) => n + c.stats.cost, 0)).toBeCloseTo(15, 9);
    expect(await db.collection(COLLECTIONS.analyticsRollups).countDocuments({ _id: { $regex: '^ws\\|rollup-move' } as never })).toBe(0);

    // New figures add to the moved ones.
    const more = { cells: new Map(), users: new Map(), workspaces: new Set<string>() };
    addToDelta(more as never, records(6));
    await partitioned.apply(more as never);
    const again = await partitioned.readCells(WS, [{ level: 0, from, to: from + 3 * day }], { hist: false, users: false } as never);
    expect(again.cells.reduce((n, c) => n + c.stats.n, 0)).toBe(36);
  });

  for (const partitioned of [true, false]) {
    it(`retention trims the rollups exactly at an hour cutoff (${partitioned ? 'partitioned, as embedded' : 'one collection, as on MongoDB'})`, async () => {
      const db = s.app.database.db;
      const ws = `ws-trim-${partitioned}`;
      const delta = { cells: new Map(), users: new Map(), workspaces: new Set<string>() };
      // 30 logs 10 minutes apart from 22:00 on Jan 31: five hours over a day and a month boundary.
      addToDelta(
        delta as never,
        records(30).map((r) => ({ ...r, workspaceId: ws })),
      );
      const store = createRollupRepository(db, { partitioned });
      await store.apply(delta as never);
      const day = 24 * HOUR;
      const from = t0 - (t0 % day);
      const total = async (level: number) => {
        const { cells, users } = await store.readCells(ws, [{ level, from, to: from + 3 * day }], { hist: true, users: true } as never);
        return { n: cells.reduce((n, c) => n + c.stats.n, 0), users: users.reduce((n, u) => n + u.n, 0), hist: cells.every((c) => c.hist) };
      };
      expect(await total(0)).toEqual({ n: 30, users: 30, hist: true });

      await store.deleteBefore(t0 + 3 * HOUR); // keeps 01:00 and 02:00 on Feb 1: 12 logs
      expect(await total(0)).toEqual({ n: 12, users: 12, hist: true });
      expect(await total(1)).toEqual({ n: 12, users: 12, hist: true });
      await store.deleteBefore(t0 + 10 * HOUR);
      expect(await total(0)).toEqual({ n: 0, users: 0, hist: true });
    });
  }
});
