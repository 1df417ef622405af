import type { Actor } from '../auth/actor.js';
import type { LogRepository } from '../logs/log-model.js';
import { ingestSpans } from './ingest-spans.js';
import type { OtlpExport } from './otlp-model.js';

export interface SpanIngestResult {
  accepted: number;
  rejected: number;
  errorMessage?: string;
}

export interface TraceService {
  /** Stores every valid span of an OTLP export as a log; invalid spans are counted, never silently dropped. */
  ingest(actor: Actor, input: { workspaceId?: string | null; export: OtlpExport }): Promise<SpanIngestResult>;
}

export function createTraceService(repo: LogRepository): TraceService {
  return { ingest: (actor, input) => ingestSpans(repo, actor, input) };
}
