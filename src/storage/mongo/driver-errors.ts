import { MongoNetworkError, MongoNotConnectedError, MongoServerSelectionError, MongoTopologyClosedError } from 'mongodb';
import { DomainError } from '../../domain/errors.js';

/** A database that cannot be reached is a retryable 503 for clients, not an internal error. */
export function translateDriverError(err: unknown): unknown {
  if (
    err instanceof MongoNetworkError ||
    err instanceof MongoServerSelectionError ||
    err instanceof MongoNotConnectedError ||
    err instanceof MongoTopologyClosedError
  ) {
    return new DomainError('UNAVAILABLE', 'The database is unavailable; retry later', undefined, 5);
  }
  return err;
}
