import type { Actor } from '../auth/actor.js';
import type { LogRepository, Trace } from '../logs/log-model.js';
import { getTrace } from '../logs/read-logs.js';
import { ingestSpans } from './ingest-spans.js';
import type { OtlpExport } from './otlp-model.js';

export interface SpanIngestResult {
  accepted: number;
  rejected: number;
  errorMessage?: string;
}

/** Traces: the span trees that logs and OTLP spans form together. */
export interface TraceService {
  /** All logs and spans of one trace, as a tree. */
  get(actor: Actor, input: { traceId: string; workspaceId?: string | null }): Promise<Trace>;
  /** Stores every valid span of an OTLP export as a log; invalid spans are counted, never silently dropped. */
  ingestOtlp(actor: Actor, input: { workspaceId?: string | null; export: OtlpExport }): Promise<SpanIngestResult>;
}

export function createTraceService(repo: LogRepository): TraceService {
  return {
    get: (actor, input) => getTrace(repo, actor, input),
    ingestOtlp: (actor, input) => ingestSpans(repo, actor, input),
  };
}
