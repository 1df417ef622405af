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

  it("any other operation failed by the socket's own error (passed on unwrapped by the driver, or as a cause) is transient", () => {
    const epipe = Object.assign(new Error('write EPIPE'), { code: 'EPIPE' });
    expect(isTransientDriverError(epipe)).toBe(true);
    expect(isTransientDriverError(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransientDriverError(new Error('wrapped', { cause: epipe }))).toBe(true);
  });

  it('a bulk write refused for its documents is not, nor an error of our own', () => {
    expect(isTransientDriverError(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(false);
    expect(isTransientDriverError(Object.assign(new Error('no such file'), { code: 'ENOENT' }))).toBe(false);
    expect(isTransientDriverError(bulkError(2, [{ code: 2, index: 0, errmsg: 'bad value' }]))).toBe(false);
    expect(isTransientDriverError(new MongoServerError({ message: 'bad value', code: 2 }))).toBe(false);
  });
});
