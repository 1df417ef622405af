import { describe, expect, it } from 'vitest';
import { createRollupWriter } from '../../src/domain/analytics/rollup-writer.js';
import type { RollupDelta, RollupStore } from '../../src/domain/analytics/rollup-model.js';
import { DomainError } from '../../src/domain/errors.js';
import type { LogRecord } from '../../src/domain/logs/log-model.js';

const log = (n: number) =>
  ({
    id: `l${n}`,
    workspaceId: 'ws',
    createdAt: new Date(Date.UTC(2026, 0, 1, 12, 0, n)),
    metadata: {},
    derived: { provider: 'openai', model: 'gpt-4o', statusCode: 200, isSuccess: true, cost: 1, responseTimeMs: 10 },
  }) as unknown as LogRecord;

/** A store that fails its next write with `fail`, then adds up the requests of the level-0 cells it is given. */
function store() {
  let fail: Error | undefined;
  let stored = 0;
  const s: Pick<RollupStore, 'apply'> = {
    async apply(delta: RollupDelta) {
      if (fail) {
        const err = fail;
        fail = undefined;
        throw err;
      }
      for (const c of delta.cells.values()) if (c.level === 0) stored += c.stats.n;
      delta.cells.clear();
      delta.users.clear();
    },
  };
  return { s: s as RollupStore, failNext: (err: Error) => void (fail = err), stored: () => stored };
}

describe('rollup writer', () => {
  it('writes the figures of a flush the database could not take with the next one', async () => {
    const st = store();
    const writer = createRollupWriter(st.s);
    st.failNext(new DomainError('UNAVAILABLE', 'down'));
    await expect(writer.add([log(1), log(2)])).rejects.toThrow('down');
    await writer.add([log(3)]);
    expect(st.stored()).toBe(3);
  });

  it('drops the figures of a flush the database refused, so later flushes are not taken down with them', async () => {
    const st = store();
    const writer = createRollupWriter(st.s);
    st.failNext(new Error('refused'));
    await expect(writer.add([log(1), log(2)])).rejects.toThrow('refused');
    await writer.add([log(3)]);
    expect(st.stored()).toBe(1);
  });
});
