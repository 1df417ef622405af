import type { LogRepository } from '../logs/log-model.js';
import type { RollupStore } from './rollup-model.js';
import type { RollupWriter } from './rollup-writer.js';

/**
 * Keeps the analytics rollups in step with the logs, whatever the storage layout: every insert (REST and
 * OTLP alike) adds the logs that were actually new to the rollups, once per batch, and retention takes the
 * cells of the logs it deletes with them, so analytics keep adding up to what an export of the same range holds.
 */
export function withRollups(logs: LogRepository, writer: RollupWriter, store: Pick<RollupStore, 'deleteBefore'>): LogRepository {
  return {
    ...logs,
    async insertMany(records) {
      const inserted = await logs.insertMany(records);
      await writer.add(inserted);
      return inserted;
    },
    async deleteCreatedBefore(cutoff) {
      const deleted = await logs.deleteCreatedBefore(cutoff);
      await store.deleteBefore(cutoff.getTime());
      return deleted;
    },
  };
}
