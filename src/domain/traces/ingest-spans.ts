import { type Actor, requireScope, resolveWorkspace } from '../auth/actor.js';
import type { LogRecord, LogRepository } from '../logs/log-model.js';
import { exceedsStoredLimit, STORED_LIMIT_TEXT } from '../logs/record-size.js';
import { mapSpan } from './map-span.js';
import type { OtlpExport } from './otlp-model.js';

/** Lowercase hex of exactly `length` characters, not all zeros (the protocol's invalid id). */
function isValidId(s: string, length: number): boolean {
  if (typeof s !== 'string' || s.length !== length) return false;
  let nonZero = false;
  for (let i = 0; i < length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 49 && c <= 57) nonZero = true;
    else if (c >= 97 && c <= 102) nonZero = true;
    else if (c !== 48) return false;
  }
  return nonZero;
}

const REASONS = {
  traceId: 'an invalid trace id (expected 32 hex digits, not all zero)',
  spanId: 'an invalid span id (expected 16 hex digits, not all zero)',
  startTime: 'no start time',
  mapping: 'content that could not be mapped',
  tooLarge: `a stored size over the ${STORED_LIMIT_TEXT} limit`,
} as const;
type Reason = keyof typeof REASONS;

function rejectionMessage(counts: Map<Reason, number>, total: number, tooLarge: string[]): string {
  const parts: string[] = [];
  for (const [reason, n] of counts) parts.push(`${n} with ${REASONS[reason]}`);
  // Oversized spans are valid ones the sender will want to find: name a few.
  const named = tooLarge.length === 0 ? '' : ` (too large: ${tooLarge.slice(0, 5).join(', ')}${tooLarge.length > 5 ? ', ...' : ''})`;
  return `${total} span${total === 1 ? ' was' : 's were'} rejected: ${parts.join('; ')}${named}`;
}

/**
 * POST /v1/traces: every valid span of an OTLP export becomes a log. Spans with unusable ids or no start
 * time are rejected and counted (the exporter hears about them through partialSuccess); the rest are
 * stored. Log ids derive from trace and span id, so a retried export lands on the same documents.
 */
export function ingestSpans(repo: LogRepository, actor: Actor, input: { workspaceId?: string | null; export: OtlpExport }): Promise<SpanBatchResult> {
  // Not async itself: only the records are held while the database writes, not the decoded export.
  let mapped: { records: LogRecord[]; result: SpanBatchResult };
  try {
    mapped = toRecords(actor, input);
  } catch (err) {
    return Promise.reject(err);
  }
  const { records, result } = mapped;
  return records.length > 0 ? repo.insertMany(records).then(() => result) : Promise.resolve(result);
}

type SpanBatchResult = { accepted: number; rejected: number; errorMessage?: string };

function toRecords(actor: Actor, input: { workspaceId?: string | null; export: OtlpExport }): { records: LogRecord[]; result: SpanBatchResult } {
  requireScope(actor, 'logs.write');
  const workspaceId = resolveWorkspace(actor, input.workspaceId);
  const receivedAt = new Date();
  const records: LogRecord[] = [];
  let rejected = 0;
  let reasons: Map<Reason, number> | undefined;
  const tooLarge: string[] = [];
  const reject = (reason: Reason) => {
    rejected++;
    reasons ??= new Map();
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  };

  for (const rs of input.export.resourceSpans) {
    for (const ss of rs.scopeSpans) {
      const ctx = { resource: rs.resource, scope: ss.scope, workspaceId, organisationId: actor.organisationId, receivedAt };
      for (const span of ss.spans) {
        if (!isValidId(span.traceId, 32)) reject('traceId');
        else if (!isValidId(span.spanId, 16)) reject('spanId');
        else if (!(span.startTimeMs > 0) || !Number.isFinite(span.startTimeMs)) reject('startTime');
        else {
          // A malformed parent id cannot link to anything: the span is kept as a root rather than rejected.
          const usable = span.parentSpanId === undefined || isValidId(span.parentSpanId, 16) ? span : { ...span, parentSpanId: undefined };
          let record: LogRecord;
          try {
            record = mapSpan(usable, ctx);
          } catch {
            // A span whose content defeats the mapper is reported like any other rejected span, never dropped silently.
            reject('mapping');
            continue;
          }
          // One span too large to store must not sink the others: the driver refuses a batch holding it.
          if (exceedsStoredLimit(record)) {
            reject('tooLarge');
            tooLarge.push(`${span.traceId}:${span.spanId}`);
          } else records.push(record);
        }
      }
    }
  }

  const result =
    reasons === undefined
      ? { accepted: records.length, rejected }
      : { accepted: records.length, rejected, errorMessage: rejectionMessage(reasons, rejected, tooLarge) };
  return { records, result };
}
