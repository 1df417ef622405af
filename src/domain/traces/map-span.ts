import { applyUsageAndCost, type DerivedFields, providerFromUrl } from '../logs/derive.js';
import { logIdFor } from '../logs/log-id.js';
import type { LogRecord, SpanDetails } from '../logs/log-model.js';
import { usdToCents } from '../logs/pricing.js';
import { redactUrl } from '../logs/redact.js';
import { setOwn } from '../own-property.js';
import { GenAiScan, normaliseProvider, resolveUsage, scanAttribute } from './genai-attributes.js';
import { EventMessages, requestBody, responseBody } from './genai-messages.js';
import type { AttributeValue, Attributes, OtlpSpan } from './otlp-model.js';

export interface SpanContext {
  /** Resource attributes of the span's ResourceSpans (service.name and friends). */
  resource: Attributes;
  /** The instrumentation scope; pass the same object for every span of a ScopeSpans (it keys a cache). */
  scope: { name?: string; version?: string; attributes?: Attributes };
  workspaceId: string;
  organisationId: string;
  /** When the export arrived: the creation time of a span that somehow has no start time. */
  receivedAt: Date;
}

const KINDS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'] as const;
const STATUSES = ['UNSET', 'OK', 'ERROR'] as const;
const STATUS_ERROR = 2;

/** Attribute values as stored: strings as they are, other scalars as text, arrays and maps as JSON. */
export function attributeText(v: AttributeValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

function texts(attrs: Attributes): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k in attrs) setOwn(out, k, attributeText(attrs[k]!));
  return out;
}

function text(v: AttributeValue | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

// Resource and scope are shared by every span of a ScopeSpans: their text form is built once per batch
// and the one object is shared by those spans' records (nothing mutates records after mapping).
interface ContextInfo {
  resource: Attributes;
  texts: Record<string, string>;
  serviceName: string | undefined;
  urlPrefix: string;
}
const contextInfos = new WeakMap<object, ContextInfo>();

/**
 * Resource attributes, plus the scope version under the name OpenTelemetry uses when mapping to non-OTLP
 * formats (otel.scope.version; the scope name has its own field) and the scope's own attributes, none of
 * which override a resource attribute. Span attributes stay exactly what the span carried.
 */
function contextInfo(ctx: SpanContext): ContextInfo {
  const hit = contextInfos.get(ctx.scope);
  if (hit !== undefined && hit.resource === ctx.resource) return hit;
  const out = texts(ctx.resource);
  const { version, attributes } = ctx.scope;
  if (version && !Object.hasOwn(out, 'otel.scope.version')) out['otel.scope.version'] = version;
  if (attributes !== undefined) for (const k in attributes) if (!Object.hasOwn(out, k)) setOwn(out, k, attributeText(attributes[k]!));
  const serviceName = text(ctx.resource['service.name']);
  const info = { resource: ctx.resource, texts: out, serviceName, urlPrefix: `otel://${urlPart(serviceName ?? 'unknown')}/` };
  contextInfos.set(ctx.scope, info);
  return info;
}

function urlPart(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return 'invalid'; // lone surrogates cannot be percent-encoded
  }
}

function responseError(span: OtlpSpan, attrs: Attributes, msgs: EventMessages | undefined): { message?: string; type?: string } {
  const ex = msgs?.exception;
  const err: { message?: string; type?: string } = {};
  const message = span.status.message ?? text(ex?.['exception.message']);
  const type = text(ex?.['exception.type']) ?? text(attrs['error.type']);
  if (message !== undefined) err.message = message;
  if (type !== undefined) err.type = type;
  return err;
}

/**
 * One OTLP span as a log record in the REST logs' collection, so REST logs and spans of one trace form a
 * single tree. GenAI attributes (current and legacy conventions) fill the derived fields and the request
 * and response bodies; every attribute is also kept verbatim (as text) in `span.attributes`.
 */
export function mapSpan(span: OtlpSpan, ctx: SpanContext): LogRecord {
  const scan = new GenAiScan();
  const attrs = span.attributes;
  const attributes: Record<string, string> = {};
  for (const k in attrs) {
    const v = attrs[k]!;
    const t = attributeText(v);
    // The URL attributes are kept verbatim like the rest, except for the credentials they may carry.
    setOwn(attributes, k, k === 'url.full' || k === 'http.url' ? redactUrl(t) : t);
    scanAttribute(scan, k, v);
  }

  let msgs: EventMessages | undefined;
  const spanEvents = span.events;
  const events: SpanDetails['events'] = new Array(spanEvents.length);
  for (let i = 0; i < spanEvents.length; i++) {
    const e = spanEvents[i]!;
    if (e.name === 'exception' || e.name.startsWith('gen_ai.')) {
      msgs ??= new EventMessages();
      // The newer convention can put the whole inference (messages, parameters) on one event instead of the span.
      if (!msgs.add(e) && e.name === 'gen_ai.client.inference.operation.details') {
        for (const k in e.attributes) scanAttribute(scan, k, e.attributes[k]!);
      }
    }
    events[i] = { name: e.name, time: new Date(e.timeMs > 0 ? e.timeMs : span.startTimeMs), attributes: texts(e.attributes) };
  }

  const info = contextInfo(ctx);
  const serviceName = info.serviceName;
  const url = scan.url !== undefined ? redactUrl(scan.url) : info.urlPrefix + urlPart(span.name);
  const provider =
    normaliseProvider(scan.providerName ?? scan.system ?? scan.llmProvider) ??
    (scan.url !== undefined ? providerFromUrl(scan.url) : undefined) ??
    (scan.serverAddress !== undefined ? providerFromUrl(scan.serverAddress) : undefined);
  const model = scan.responseModel ?? scan.requestModel ?? scan.llmModel;
  const usage = resolveUsage(scan);

  const code = span.status.code;
  const failed = code === STATUS_ERROR;
  const http = scan.httpStatus;
  let statusCode = http !== undefined && http >= 100 && http <= 599 ? Math.trunc(http) : 200;
  // An ERROR span reported over a successful HTTP exchange (a failed stream, say) still counts as a failure.
  if (failed && statusCode < 400) statusCode = 500;
  const isSuccess = !failed && statusCode >= 200 && statusCode <= 299;

  const start = span.startTimeMs > 0 ? span.startTimeMs : ctx.receivedAt.getTime();
  const end = span.endTimeMs;
  const duration = end !== undefined && end >= start ? Math.round((end - start) * 1000) / 1000 : undefined;
  const createdAt = new Date(start);

  const derived: DerivedFields = { statusCode, isSuccess };
  if (provider !== undefined) derived.provider = provider;
  if (model !== undefined) derived.model = model;
  applyUsageAndCost(derived, usage, {
    provider,
    model,
    timestamp: createdAt,
    client: scan.costUsd === undefined ? undefined : { cents: usdToCents(scan.costUsd), currency: 'USD' },
  });
  if (duration !== undefined) derived.responseTimeMs = duration;

  // A few flattened keys, so REST-style metadata filters find spans too.
  const metadata: Record<string, string> = {};
  if (serviceName !== undefined) metadata['service.name'] = serviceName;
  const user = scan.userId ?? text(ctx.resource['user.id']);
  if (user !== undefined) metadata['user.id'] = user;
  const session = scan.sessionId ?? scan.conversationId;
  if (session !== undefined) metadata['session.id'] = session;
  if (scan.conversationId !== undefined) metadata['gen_ai.conversation.id'] = scan.conversationId;
  if (scan.operation !== undefined) metadata['gen_ai.operation.name'] = scan.operation;

  return {
    id: logIdFor(ctx.workspaceId, `${span.traceId}:${span.spanId}`),
    workspaceId: ctx.workspaceId,
    organisationId: ctx.organisationId,
    source: 'otlp',
    createdAt,
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    spanName: span.name,
    request: { url, method: scan.method?.toUpperCase() ?? 'POST', provider, headers: {}, body: requestBody(scan, msgs) },
    response: {
      status: statusCode,
      headers: {},
      body: responseBody(scan, msgs, usage, failed ? responseError(span, attrs, msgs) : undefined),
      responseTime: duration,
    },
    metadata,
    derived,
    span: {
      kind: KINDS[span.kind] ?? 'UNSPECIFIED',
      startTime: createdAt,
      endTime: end !== undefined ? new Date(end) : undefined,
      statusCode: STATUSES[code] ?? 'UNSET',
      statusMessage: span.status.message,
      serviceName,
      scopeName: ctx.scope.name,
      operation: scan.operation,
      attributes,
      resourceAttributes: info.texts,
      events,
    },
  };
}
