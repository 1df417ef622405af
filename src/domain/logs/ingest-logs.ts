import { type Actor, requireScope, resolveWorkspace } from '../auth/actor.js';
import { parseOneOrMany } from '../batch-input.js';
import { DomainError, type ErrorDetail } from '../errors.js';
import { deriveFields } from './derive.js';
import { logIdFor } from './log-id.js';
import { type LogInput, logBatchSchema, scalarMapToStrings } from './log-input.js';
import type { LogRecord, LogRepository } from './log-model.js';
import { exceedsStoredLimit, STORED_LIMIT_TEXT } from './record-size.js';
import { redactHeaders, redactUrl } from './redact.js';

function toRecord(input: LogInput, workspaceId: string, organisationId: string, now: Date): LogRecord {
  const metadata = scalarMapToStrings(input.metadata);
  const createdAt = input.created_at ?? input.timestamp ?? now;
  return {
    id: logIdFor(workspaceId, input.id),
    workspaceId,
    organisationId,
    clientId: input.id,
    source: 'rest',
    createdAt,
    traceId: metadata.trace_id,
    spanId: metadata.span_id,
    parentSpanId: metadata.parent_span_id,
    spanName: metadata.span_name,
    request: {
      url: redactUrl(input.request.url),
      method: input.request.method.toUpperCase(),
      provider: input.request.provider,
      headers: redactHeaders(scalarMapToStrings(input.request.headers)),
      body: JSON.stringify(input.request.body),
    },
    response: {
      status: input.response.status,
      headers: redactHeaders(scalarMapToStrings(input.response.headers)),
      body: JSON.stringify(input.response.body),
      responseTime: input.response.response_time,
    },
    metadata,
    derived: deriveFields(
      {
        request: { url: input.request.url, provider: input.request.provider, body: input.request.body },
        response: { status: input.response.status, body: input.response.body, response_time: input.response.response_time },
        metadata,
      },
      { timestamp: createdAt },
    ),
  };
}

/** A log too large to store fails its batch before anything is written (413), naming the item. */
function rejectOversized(records: LogRecord[], single: boolean, prefix: (string | number)[]): void {
  let details: ErrorDetail[] | undefined;
  for (let i = 0; i < records.length; i++) {
    if (!exceedsStoredLimit(records[i]!)) continue;
    (details ??= []).push({ path: single ? prefix : [...prefix, i], message: `Log is larger than the ${STORED_LIMIT_TEXT} a stored log may take` });
  }
  if (details === undefined) return;
  const what = single ? 'The log is' : `${details.length} log${details.length === 1 ? ' is' : 's are'}`;
  throw new DomainError('PAYLOAD_TOO_LARGE', `${what} larger than the ${STORED_LIMIT_TEXT} a stored log may take; nothing was stored`, details);
}

type LogBatchInput = { workspaceId?: string | null; body: unknown; pathPrefix?: (string | number)[] };

/**
 * POST /v1/logs and friends: one log or an array. The whole batch is validated before anything is
 * written, so a bad item rejects the batch and nothing from it is stored.
 */
export function ingestLogs(repo: LogRepository, actor: Actor, input: LogBatchInput): Promise<string[]> {
  // Not async itself: only the records are held while the database writes, not the body and its parsed copy.
  let records: LogRecord[];
  try {
    records = toRecords(actor, input);
  } catch (err) {
    return Promise.reject(err);
  }
  return repo.insertMany(records).then(() => records.map((r) => r.id));
}

function toRecords(actor: Actor, input: LogBatchInput): LogRecord[] {
  requireScope(actor, 'logs.write');
  const workspaceId = resolveWorkspace(actor, input.workspaceId);
  const { items, single } = parseOneOrMany(logBatchSchema, input.body, {
    pathPrefix: input.pathPrefix,
    messages: { notObject: 'Body must be a log object or an array of log objects', single: 'Invalid log', batch: 'Invalid log batch; nothing was stored' },
  });
  const now = new Date();
  const records = items.map((l) => toRecord(l, workspaceId, actor.organisationId, now));
  rejectOversized(records, single, input.pathPrefix ?? []);
  return records;
}
