import type { DerivedFields } from './derive.js';
import type { LogFilter } from './log-filter.js';

/** A stored log or span. REST logs and OTLP spans share this shape, so they form one trace tree. */
export interface LogRecord {
  id: string;
  workspaceId: string;
  organisationId: string;
  /** The client's idempotency id, when it sent one. */
  clientId?: string;
  source: 'rest' | 'otlp';
  createdAt: Date;
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  spanName?: string;
  request: { url: string; method: string; provider?: string; headers: Record<string, string>; body: string };
  response: { status: number; headers: Record<string, string>; body: string; responseTime?: number };
  metadata: Record<string, string>;
  derived: DerivedFields;
  /** OpenTelemetry details for spans (kind, times, resource/scope attributes, events). */
  span?: SpanDetails;
  /** Weighted mean of the feedback given to the log's trace, attached when read (never stored on the log). */
  weightedFeedback?: number;
}

export interface SpanDetails {
  kind?: string;
  startTime: Date;
  endTime?: Date;
  statusCode?: 'UNSET' | 'OK' | 'ERROR';
  statusMessage?: string;
  serviceName?: string;
  scopeName?: string;
  operation?: string;
  attributes: Record<string, string>;
  resourceAttributes: Record<string, string>;
  events: { name: string; time: Date; attributes: Record<string, string> }[];
}

export interface TraceNode {
  log: LogRecord;
  children: TraceNode[];
}

export interface Trace {
  traceId: string;
  spans: LogRecord[];
  roots: TraceNode[];
}

export interface LogRepository {
  /**
   * Inserts, silently keeping the first copy of any id that already exists (idempotent retries).
   * Returns the records that were newly stored (not the duplicates): analytics counts exactly those.
   */
  insertMany(records: LogRecord[]): Promise<LogRecord[]>;
  findById(id: string): Promise<LogRecord | null>;
  findByTrace(workspaceId: string, traceId: string, limit: number): Promise<LogRecord[]>;
  deleteCreatedBefore(cutoff: Date): Promise<number>;
  /**
   * Rows a filtered, paged read would return: min(max(total - offset, 0), limit). With `budgetMs`, a count
   * that would take longer answers with what it has counted by then (a lower bound), finishes in the
   * background and hands the exact figure to `onExact` (not called when the first answer was already exact).
   */
  countMatching(workspaceId: string, filter: LogFilter, page?: LogPageBounds, opts?: CountOptions): Promise<number>;
  /**
   * Matching logs newest first (ties by id, descending), read through a cursor so memory stays flat.
   * `withoutHeaders`: skip reading request/response headers (exports never write them); they come back as {}.
   */
  streamMatching(
    workspaceId: string,
    filter: LogFilter,
    page: LogPageBounds,
    opts?: { batchSize?: number; withoutHeaders?: boolean },
  ): AsyncIterable<LogRecord>;
  /** Keyset page newest first; `after` is the last row of the previous page, and only strictly older rows follow. */
  listMatching(workspaceId: string, filter: LogFilter, page: { first: number; after?: LogCursor }): Promise<LogRecord[]>;
}

/** Rows to skip and the most to return after filtering; absent means no bound. */
export interface LogPageBounds {
  limit?: number | null;
  offset?: number | null;
}

export interface CountOptions {
  budgetMs?: number;
  onExact?: (count: number) => void;
}

/** How long a request waits for a count before it takes a lower bound and the exact figure follows. */
export const COUNT_BUDGET_MS = 800;

/** A position in newest-first order. */
export interface LogCursor {
  createdAt: Date;
  id: string;
}
