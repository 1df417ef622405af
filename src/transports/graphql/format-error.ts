import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { DomainError, ERROR_TABLE, isUnavailable, retryAfterOf } from '../../domain/errors.js';

/** The one place GraphQL errors are translated: domain codes become `extensions.code`; internals are hidden. */
export function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof DomainError) {
    return {
      ...formatted,
      message: original.message,
      extensions: {
        code: ERROR_TABLE[original.code].graphql,
        ...(original.details && { details: original.details }),
      },
    };
  }
  const code = formatted.extensions?.code;
  if (code === 'INTERNAL_SERVER_ERROR' || code === undefined) {
    return { message: 'Internal server error', path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  }
  const { stacktrace: _omit, ...extensions } = formatted.extensions ?? {};
  return { ...formatted, extensions };
}

/**
 * Apollo answers 200 for execution errors; a database outage should still read as 503 + Retry-After to
 * HTTP clients and proxies, as on REST and tRPC.
 */
export const retryableStatusPlugin: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async willSendResponse({ errors, response }) {
        const causes = (errors ?? []).map((e) => unwrapResolverError(e));
        const seconds = retryAfterOf(causes);
        if (seconds === undefined) return;
        const unavailable = causes.some(isUnavailable);
        response.http.status = unavailable ? ERROR_TABLE.UNAVAILABLE.http : ERROR_TABLE.OVERLOADED.http;
        response.http.headers.set('retry-after', String(seconds));
      },
    };
  },
};
