import { isUnavailable } from '../../domain/errors.js';
import type { LogRepository } from '../../domain/logs/log-model.js';
import { isTransientDriverError, unavailable } from './driver-errors.js';

/** Pauses before each retry: about 3.5 s in all, long enough to ride out a database restart or a busy spell. */
export const INSERT_RETRY_DELAYS_MS = [100, 250, 500, 1000, 1600];

const retryable = (err: unknown) => isTransientDriverError(err) || isUnavailable(err);

export interface RetryOptions {
  delays?: readonly number[];
  /** While false (the embedded database is restarting), attempts are skipped rather than left to time out. */
  available?: () => boolean;
}

/** Runs `op` again after transient failures, bounded by `delays`; the last error is thrown as is. */
export async function retryTransient<T>(op: () => Promise<T>, opts: RetryOptions = {}): Promise<T> {
  const delays = opts.delays ?? INSERT_RETRY_DELAYS_MS;
  let lastError: unknown;
  for (let attempt = 0; attempt <= delays.length; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, delays[attempt - 1]));
    if (opts.available && !opts.available()) {
      lastError ??= unavailable();
      continue;
    }
    try {
      return await op();
    } catch (err) {
      if (!retryable(err)) throw err;
      lastError = err;
    }
  }
  throw lastError;
}

/**
 * Log inserts are idempotent (ids are fixed before the first attempt and a duplicate id keeps the first copy),
 * so a batch that failed part-way is simply inserted again, inside the same request: the client gets a 200
 * with everything stored, or, when the database stays unreachable, a 503 it may retry.
 */
export function withInsertRetry(repo: LogRepository, opts: RetryOptions = {}): LogRepository {
  return { ...repo, insertMany: (records) => retryTransient(() => repo.insertMany(records), opts) };
}
