import { MongoBulkWriteError, MongoServerError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { isTransientDriverError } from '../../src/storage/mongo/driver-errors.js';

/** Which driver errors become a retryable 503 (transient) rather than a 500. */
const bulkError = (code: unknown, writeErrors: { code: number; index: number; errmsg: string }[] = []) =>
  new MongoBulkWriteError(
    { message: 'This socket has been ended by the other party', code, writeErrors } as never,
    { insertedCount: 0, matchedCount: 0, modifiedCount: 0, deletedCount: 0, upsertedCount: 0, upsertedIds: {}, insertedIds: {} } as never,
  );

describe('transient driver errors', () => {
  it('a bulk write failed by its socket (EPIPE, as when the database restarts under it) is transient', () => {
    expect(isTransientDriverError(bulkError('EPIPE'))).toBe(true);
    expect(isTransientDriverError(bulkError('ECONNRESET'))).toBe(true);
  });

  it('a bulk write refused for its documents is not', () => {
    expect(isTransientDriverError(bulkError(2, [{ code: 2, index: 0, errmsg: 'bad value' }]))).toBe(false);
    expect(isTransientDriverError(new MongoServerError({ message: 'bad value', code: 2 }))).toBe(false);
  });
});
