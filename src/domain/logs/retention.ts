import type { LogRepository } from './log-model.js';

const HOUR = 3_600_000;

/**
 * Deletes logs older than `days`. Run by a scheduled job: FerretDB has no TTL indexes. The cutoff is floored
 * to a whole hour (a log is kept up to an hour longer) so that the analytics rollups, whose coarsest cells are
 * hours, can drop exactly the cells of the deleted logs.
 */
export async function enforceRetention(repo: LogRepository, days: number, now = new Date()): Promise<{ deleted: number; cutoff: Date }> {
  const exact = now.getTime() - days * 86_400_000;
  const cutoff = new Date(exact - (exact % HOUR));
  return { deleted: await repo.deleteCreatedBefore(cutoff), cutoff };
}
