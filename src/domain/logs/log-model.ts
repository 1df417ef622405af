import type { DerivedFields } from './derive.js';

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
  /** Inserts, silently keeping the first copy of any id that already exists (idempotent retries). */
  insertMany(records: LogRecord[]): Promise<void>;
  findById(id: string): Promise<LogRecord | null>;
  findByTrace(workspaceId: string, traceId: string, limit: number): Promise<LogRecord[]>;
  deleteCreatedBefore(cutoff: Date): Promise<number>;
  count(workspaceId: string): Promise<number>;
}
