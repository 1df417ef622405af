import type { LogRepository } from '../logs/log-model.js';
import type { RollupWriter } from './rollup-writer.js';

/**
 * Keeps the analytics rollups in step with the logs, whatever the storage layout: every insert (REST and
 * OTLP alike) adds the logs that were actually new to the rollups, once per batch.
 */
export function withRollups(logs: LogRepository, writer: RollupWriter): LogRepository {
  return {
    ...logs,
    async insertMany(records) {
      const inserted = await logs.insertMany(records);
      await writer.add(inserted);
      return inserted;
    },
  };
}
