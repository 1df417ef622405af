import { validationError } from '../errors.js';
import { type LogFilter, parseLogFilter } from './log-filter.js';
import { fromGenerationsFilter } from './portkey-filter.js';

/** The dialect a client wrote its filter in: Logport's own (GraphQL, tRPC, web app) or Portkey's GenerationsFilter (REST). */
export type FilterDialect = 'logport' | 'portkey';

/** A filter exactly as the client sent it, kept to echo back and re-parsed by the one parser of its dialect. */
export interface FilterSpec {
  dialect: FilterDialect;
  value: Record<string, unknown>;
}

/** The parsed filter, plus the row bounds a Portkey filter carries (page_size / current_page). */
export interface ResolvedFilter {
  spec: FilterSpec;
  filter: LogFilter;
  limit?: number;
  offset?: number;
}

/**
 * The one place a client filter is parsed, whatever the transport: on create/update, and again when a
 * stored filter is read back (so stored filters never depend on how a parsed filter serialises).
 */
/** A filter as a transport received it; `path` is where the transport's input put it, for error details. */
export interface FilterInput {
  dialect: FilterDialect;
  value: unknown;
  path?: (string | number)[];
}

export function resolveFilter(input: FilterInput): ResolvedFilter {
  const pathPrefix = input.path ?? ['filters'];
  const value = input.value ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) throw validationError([{ path: [], message: 'Expected an object' }], pathPrefix, 'Invalid filters');
  const spec: FilterSpec = { dialect: input.dialect, value: value as Record<string, unknown> };
  if (input.dialect === 'logport') return { spec, filter: parseLogFilter(value, pathPrefix) };
  return { spec, ...fromGenerationsFilter(value, pathPrefix) };
}
