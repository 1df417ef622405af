import type { LogFilter } from '../logs/log-filter.js';
import type { LogCursor, LogRecord } from '../logs/log-model.js';

/**
 * Storage reads behind the web app's browsing features (sorted pages, the traces list, value suggestions).
 * Kept apart from LogRepository so each query is one small, separately replaceable function.
 */

/** Columns a log list can be ordered by. `createdAt` descending is the default keyset order. */
export const LOG_SORT_FIELDS = ['createdAt', 'cost', 'totalTokens', 'latency'] as const;
export type LogSortField = (typeof LOG_SORT_FIELDS)[number];
export interface LogSort {
  field: LogSortField;
  direction: 'asc' | 'desc';
}

/** The few fields of a span the traces list adds up. */
export interface TraceSpanStat {
  id: string;
  traceId: string;
  /** No parent span id. */
  isRoot: boolean;
  createdAt: Date;
  responseTimeMs?: number;
  totalTokens?: number;
  cost?: number;
  isSuccess: boolean;
}

/** Suggestable values seen on one log. */
export interface LogValueSample {
  model?: string;
  provider?: string;
  statusCode: number;
  metadataKeys: string[];
}

export interface LogBrowseRepository {
  /** A page in a non-default order (ties by id in the same direction), by offset. */
  listSorted(workspaceId: string, filter: LogFilter, page: { sort: LogSort; offset: number; limit: number }): Promise<LogRecord[]>;
  /** Root spans (a trace id, no parent span id) matching the filter, newest first, keyset after `after`. Bodies are not read. */
  listTraceRoots(workspaceId: string, filter: LogFilter, page: { first: number; after?: LogCursor }): Promise<LogRecord[]>;
  /** Every span of these traces, reduced to the fields the list adds up; at most `limit` rows. */
  traceSpanStats(workspaceId: string, traceIds: string[], limit: number): Promise<TraceSpanStat[]>;
  /** Values on the newest `limit` logs created at or after `since`. */
  recentValues(workspaceId: string, since: Date | undefined, limit: number): Promise<LogValueSample[]>;
}
