import type { LogRepository } from './log-model.js';

/** Deletes logs older than `days`. Run by a scheduled job: FerretDB has no TTL indexes. */
export async function enforceRetention(repo: LogRepository, days: number, now = new Date()): Promise<{ deleted: number; cutoff: Date }> {
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  return { deleted: await repo.deleteCreatedBefore(cutoff), cutoff };
}
