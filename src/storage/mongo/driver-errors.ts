import {
  MongoBulkWriteError,
  MongoError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import { DomainError } from '../../domain/errors.js';

/** MongoDB's (and FerretDB's) code for a write that hit an existing unique key. */
export const DUPLICATE_KEY = 11000;

/** A single write refused because its unique key exists. */
export const isDuplicateKey = (err: unknown): boolean => (err as { code?: number } | null)?.code === DUPLICATE_KEY;

/** Seconds clients are told to wait while the database is unreachable. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 2;

/**
 * Server error codes that say "not now" rather than "never": a primary stepping down or shutting down,
 * an unreachable host, a busy storage engine. The same operation may succeed a moment later.
 * (MongoDB's retryable codes, plus 1/InternalError: FerretDB reports every backend failure, such as SQLite's
 * "database is locked" after its busy timeout, with that code and no label.)
 */
const TRANSIENT_CODES = new Set([
  1, // InternalError (FerretDB backend errors)
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
  64, // WriteConcernFailed (wtimeout): the write may or may not be replicated yet
  112, // WriteConflict
]);

/**
 * Socket errors the driver can pass on unwrapped: a bulk write whose connection the database closed under it
 * (a restart) fails as a MongoBulkWriteError with code EPIPE, not as a MongoNetworkError (seen with the
 * embedded database killed under ingest: one 500 in a few runs). Other operations can get the socket's own Error:
 * the driver rethrows as it is an error met while waiting for a full socket to drain or while reading the reply.
 */
const SOCKET_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ETIMEDOUT', 'ERR_STREAM_WRITE_AFTER_END', 'ERR_STREAM_DESTROYED']);

/** A Node socket error (a storage call's only sockets are the database's). */
const isSocketError = (err: unknown): boolean => err instanceof Error && SOCKET_CODES.has(String((err as { code?: unknown }).code));

/** True for errors where the database could not be reached or was briefly unable to serve. */
export function isTransientDriverError(err: unknown): boolean {
  if (
    err instanceof MongoNetworkError || // includes pool-cleared and network-timeout errors
    err instanceof MongoServerSelectionError ||
    err instanceof MongoNotConnectedError ||
    err instanceof MongoTopologyClosedError ||
    err instanceof MongoOperationTimeoutError
  ) {
    return true;
  }
  if (isSocketError(err) || isSocketError((err as { cause?: unknown } | null)?.cause)) return true;
  if (!(err instanceof MongoError)) return false;
  if (err.hasErrorLabel('RetryableWriteError') || err.hasErrorLabel('TransientTransactionError')) return true;
  if (err instanceof MongoBulkWriteError) {
    const writeErrors = Array.isArray(err.writeErrors) ? err.writeErrors : err.writeErrors ? [err.writeErrors] : [];
    // No per-document errors and no server code (or a socket's): the driver wraps a network or pool failure this way.
    if (writeErrors.length === 0) return err.code === undefined || TRANSIENT_CODES.has(Number(err.code)) || SOCKET_CODES.has(String(err.code));
    return writeErrors.every((e) => TRANSIENT_CODES.has(e.code) || e.code === DUPLICATE_KEY);
  }
  return typeof err.code === 'number' && TRANSIENT_CODES.has(err.code);
}

export function unavailable(): DomainError {
  return new DomainError('UNAVAILABLE', 'The database is unavailable; retry later', undefined, UNAVAILABLE_RETRY_AFTER_SECONDS);
}

/** The one driver-error translator: an unreachable or briefly failing database is a retryable 503, not a 500. */
export function translateDriverError(err: unknown): unknown {
  return isTransientDriverError(err) ? unavailable() : err;
}

/**
 * Wraps every method of a storage object (repository, blob store) so driver errors leave storage already
 * translated, on every path: awaited results, and async iterables (export cursors). `available` short-cuts
 * calls while the database is known to be down, so requests get their 503 at once instead of after the
 * driver's server-selection timeout.
 */
export function withDriverErrors<T extends object>(target: T, available: () => boolean = () => true): T {
  const wrapped = {} as Record<string, unknown>;
  for (const [name, value] of Object.entries(target)) {
    if (typeof value !== 'function') {
      wrapped[name] = value;
      continue;
    }
    const kind = methodKind(name);
    wrapped[name] = (...args: unknown[]) => {
      if (kind !== 'sync' && !available()) {
        const err = unavailable();
        return kind === 'iterable' ? failingIterable(err) : Promise.reject(err);
      }
      const result = (value as (...a: unknown[]) => unknown).apply(target, args);
      if (result instanceof Promise) return result.catch((err: unknown) => Promise.reject(translateDriverError(err)));
      if (kind === 'iterable') return translateIterable(result as AsyncIterable<unknown>);
      return result;
    };
  }
  return wrapped as T;
}

/**
 * Storage naming convention: `stream*` methods return async iterables, `open*` return streams synchronously
 * (their errors arrive as stream events), everything else returns a promise.
 */
const methodKind = (name: string) => (name.startsWith('stream') ? 'iterable' : name.startsWith('open') ? 'sync' : 'promise');

// biome-ignore lint/correctness/useYield: an iterable whose first step fails, like a cursor that cannot open
async function* failingIterable(err: unknown): AsyncGenerator<never> {
  throw err;
}

async function* translateIterable<V>(source: AsyncIterable<V>): AsyncGenerator<V> {
  try {
    yield* source;
  } catch (err) {
    throw translateDriverError(err);
  }
}
