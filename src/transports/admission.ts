import { DomainError } from '../domain/errors.js';

/**
 * Back-pressure for ingestion: beyond `limit` concurrent requests, new ones are refused with 429 and a
 * Retry-After instead of queueing without bound (the client's exporter retries; nothing is dropped silently).
 */
export interface AdmissionGate {
  run<T>(fn: () => Promise<T>): Promise<T>;
  readonly inFlight: number;
}

export function createAdmissionGate(limit: number, retryAfterSeconds = 1): AdmissionGate {
  let inFlight = 0;
  return {
    get inFlight() {
      return inFlight;
    },
    async run(fn) {
      if (inFlight >= limit) {
        throw new DomainError('OVERLOADED', `Too many concurrent ingest requests (limit ${limit}); retry later`, undefined, retryAfterSeconds);
      }
      inFlight++;
      try {
        return await fn();
      } finally {
        inFlight--;
      }
    },
  };
}
