/**
 * One error type for the whole domain. Transports translate `code` through ERROR_TABLE and never look
 * at messages, so wording can change without breaking clients.
 */
export type ErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'OVERLOADED'
  | 'UNAVAILABLE'
  | 'INTERNAL';

export interface ErrorDetail {
  /** Location of the problem, e.g. ["logs", 3, "request", "url"]. */
  path?: (string | number)[];
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
    /** Seconds a client should wait before retrying (OVERLOADED / UNAVAILABLE). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const ERROR_TABLE: Record<ErrorCode, { http: number; graphql: string; trpc: string }> = {
  BAD_REQUEST: { http: 400, graphql: 'BAD_USER_INPUT', trpc: 'BAD_REQUEST' },
  UNAUTHENTICATED: { http: 401, graphql: 'UNAUTHENTICATED', trpc: 'UNAUTHORIZED' },
  FORBIDDEN: { http: 403, graphql: 'FORBIDDEN', trpc: 'FORBIDDEN' },
  NOT_FOUND: { http: 404, graphql: 'NOT_FOUND', trpc: 'NOT_FOUND' },
  METHOD_NOT_ALLOWED: { http: 405, graphql: 'BAD_REQUEST', trpc: 'METHOD_NOT_SUPPORTED' },
  CONFLICT: { http: 409, graphql: 'CONFLICT', trpc: 'CONFLICT' },
  PAYLOAD_TOO_LARGE: { http: 413, graphql: 'PAYLOAD_TOO_LARGE', trpc: 'PAYLOAD_TOO_LARGE' },
  UNSUPPORTED_MEDIA_TYPE: { http: 415, graphql: 'BAD_REQUEST', trpc: 'UNSUPPORTED_MEDIA_TYPE' },
  OVERLOADED: { http: 429, graphql: 'OVERLOADED', trpc: 'TOO_MANY_REQUESTS' },
  UNAVAILABLE: { http: 503, graphql: 'UNAVAILABLE', trpc: 'SERVICE_UNAVAILABLE' },
  INTERNAL: { http: 500, graphql: 'INTERNAL_SERVER_ERROR', trpc: 'INTERNAL_SERVER_ERROR' },
};

/** The longest Retry-After among errors (a response answering several operations carries one header). */
export function retryAfterOf(errors: readonly unknown[]): number | undefined {
  let max: number | undefined;
  for (const e of errors) {
    if (e instanceof DomainError && e.retryAfterSeconds !== undefined) max = Math.max(max ?? 0, e.retryAfterSeconds);
  }
  return max;
}

/** The database could not be reached (storage translates driver errors to this): the same call may work later. */
export const isUnavailable = (err: unknown): boolean => err instanceof DomainError && err.code === 'UNAVAILABLE';

export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} not found`);

/** Turns zod issues into the domain's error details, optionally under a path prefix. */
export function validationError(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  prefix: (string | number)[] = [],
  message = 'Invalid input',
): DomainError {
  const details = issues.map((i) => ({
    path: [...prefix, ...i.path.map((p) => (typeof p === 'number' ? p : String(p)))],
    message: i.message,
  }));
  const first = details[0];
  const summary = first ? `${message}: ${first.path?.join('.') || '(root)'}: ${first.message}` : message;
  return new DomainError('BAD_REQUEST', summary, details);
}
