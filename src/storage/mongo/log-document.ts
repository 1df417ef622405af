import type { DerivedFields } from '../../domain/logs/derive.js';
import type { LogRecord, SpanDetails } from '../../domain/logs/log-model.js';
import { setOwn } from '../../domain/own-property.js';

/** Arbitrary keys (metadata, attributes) are stored as {k, v} pairs: indexable, and safe for keys with dots or $. */
export interface KV {
  k: string;
  v: string;
}

/**
 * The stored shape: flat, snake_case, with bodies and headers as JSON text (cheap to encode, kept exact,
 * and immune to key restrictions). Derived fields sit at the top level so filters and indexes reach them.
 */
export interface LogDoc {
  _id: string;
  workspace_id: string;
  organisation_id: string;
  client_id?: string;
  source: 'rest' | 'otlp';
  created_at: Date;
  trace_id?: string;
  span_id?: string;
  parent_span_id?: string;
  span_name?: string;
  request_url: string;
  request_method: string;
  request_provider?: string;
  request_headers: string;
  request_body: string;
  response_headers: string;
  response_body: string;
  metadata: KV[];
  // derived
  provider?: string;
  model?: string;
  request_tokens?: number;
  response_tokens?: number;
  total_tokens?: number;
  cache_read_tokens?: number;
  cache_write_tokens?: number;
  reasoning_tokens?: number;
  cost?: number;
  cost_currency?: string;
  cost_source?: 'client' | 'computed';
  status_code: number;
  is_success: boolean;
  response_time?: number;
  prompt_slug?: string;
  prompt_version_id?: string;
  config?: string;
  virtual_key?: string;
  cache_status?: string;
  cache_type?: string;
  stream_mode?: boolean;
  mode?: string;
  runtime?: string;
  runtime_version?: string;
  sdk_version?: string;
  retry_success_count?: number;
  span?: {
    kind?: string;
    start_time: Date;
    end_time?: Date;
    status_code?: string;
    status_message?: string;
    service_name?: string;
    scope_name?: string;
    operation?: string;
    attributes: KV[];
    resource_attributes: KV[];
    events: { name: string; time: Date; attributes: KV[] }[];
  };
}

export const toKV = (o: Record<string, string>): KV[] => {
  const out: KV[] = [];
  for (const k in o) out.push({ k, v: o[k]! });
  return out;
};
export const fromKV = (kv: KV[] | undefined): Record<string, string> => {
  const o: Record<string, string> = {};
  for (const { k, v } of kv ?? []) setOwn(o, k, v);
  return o;
};

// Shared by every span of one resource and scope (the mapper hands out one object): converted once.
const resourceKVs = new WeakMap<Record<string, string>, KV[]>();

function sharedKV(o: Record<string, string>): KV[] {
  let kv = resourceKVs.get(o);
  if (kv === undefined) resourceKVs.set(o, (kv = toKV(o)));
  return kv;
}

// Undefined fields are dropped by the driver (ignoreUndefined), so no filtering pass is needed here.
export function toLogDoc(r: LogRecord): LogDoc {
  const d = r.derived;
  return {
    _id: r.id,
    workspace_id: r.workspaceId,
    organisation_id: r.organisationId,
    client_id: r.clientId,
    source: r.source,
    created_at: r.createdAt,
    trace_id: r.traceId,
    span_id: r.spanId,
    parent_span_id: r.parentSpanId,
    span_name: r.spanName,
    request_url: r.request.url,
    request_method: r.request.method,
    request_provider: r.request.provider,
    request_headers: JSON.stringify(r.request.headers),
    request_body: r.request.body,
    response_headers: JSON.stringify(r.response.headers),
    response_body: r.response.body,
    metadata: toKV(r.metadata),
    provider: d.provider,
    model: d.model,
    request_tokens: d.requestTokens,
    response_tokens: d.responseTokens,
    total_tokens: d.totalTokens,
    cache_read_tokens: d.cacheReadTokens,
    cache_write_tokens: d.cacheWriteTokens,
    reasoning_tokens: d.reasoningTokens,
    cost: d.cost,
    cost_currency: d.costCurrency,
    cost_source: d.costSource,
    status_code: d.statusCode,
    is_success: d.isSuccess,
    response_time: d.responseTimeMs,
    prompt_slug: d.promptSlug,
    prompt_version_id: d.promptVersionId,
    config: d.configId,
    virtual_key: d.virtualKey,
    cache_status: d.cacheStatus,
    cache_type: d.cacheType,
    stream_mode: d.streamMode,
    mode: d.mode,
    runtime: d.runtime,
    runtime_version: d.runtimeVersion,
    sdk_version: d.sdkVersion,
    retry_success_count: d.retrySuccessCount,
    span: r.span && spanToDoc(r.span),
  };
}

function spanToDoc(s: SpanDetails): NonNullable<LogDoc['span']> {
  return {
    kind: s.kind,
    start_time: s.startTime,
    end_time: s.endTime,
    status_code: s.statusCode,
    status_message: s.statusMessage,
    service_name: s.serviceName,
    scope_name: s.scopeName,
    operation: s.operation,
    attributes: toKV(s.attributes),
    resource_attributes: sharedKV(s.resourceAttributes),
    events: s.events.map((e) => ({ name: e.name, time: e.time, attributes: toKV(e.attributes) })),
  };
}

export function fromLogDoc(doc: LogDoc): LogRecord {
  const derived: DerivedFields = {
    provider: doc.provider,
    model: doc.model,
    requestTokens: doc.request_tokens,
    responseTokens: doc.response_tokens,
    totalTokens: doc.total_tokens,
    cacheReadTokens: doc.cache_read_tokens,
    cacheWriteTokens: doc.cache_write_tokens,
    reasoningTokens: doc.reasoning_tokens,
    cost: doc.cost,
    costCurrency: doc.cost_currency,
    costSource: doc.cost_source,
    statusCode: doc.status_code,
    isSuccess: doc.is_success,
    responseTimeMs: doc.response_time,
    promptSlug: doc.prompt_slug,
    promptVersionId: doc.prompt_version_id,
    configId: doc.config,
    virtualKey: doc.virtual_key,
    cacheStatus: doc.cache_status,
    cacheType: doc.cache_type,
    streamMode: doc.stream_mode,
    mode: doc.mode,
    runtime: doc.runtime,
    runtimeVersion: doc.runtime_version,
    sdkVersion: doc.sdk_version,
    retrySuccessCount: doc.retry_success_count,
  };
  const s = doc.span;
  return {
    id: doc._id,
    workspaceId: doc.workspace_id,
    organisationId: doc.organisation_id,
    clientId: doc.client_id,
    source: doc.source,
    createdAt: doc.created_at,
    traceId: doc.trace_id,
    spanId: doc.span_id,
    parentSpanId: doc.parent_span_id,
    spanName: doc.span_name,
    request: {
      url: doc.request_url,
      method: doc.request_method,
      provider: doc.request_provider,
      headers: doc.request_headers ? JSON.parse(doc.request_headers) : {},
      body: doc.request_body,
    },
    response: {
      status: doc.status_code,
      headers: doc.response_headers ? JSON.parse(doc.response_headers) : {},
      body: doc.response_body,
      responseTime: doc.response_time,
    },
    metadata: fromKV(doc.metadata),
    derived,
    span: s && {
      kind: s.kind,
      startTime: s.start_time,
      endTime: s.end_time,
      statusCode: s.status_code as SpanDetails['statusCode'],
      statusMessage: s.status_message,
      serviceName: s.service_name,
      scopeName: s.scope_name,
      operation: s.operation,
      attributes: fromKV(s.attributes),
      resourceAttributes: fromKV(s.resource_attributes),
      events: s.events.map((e) => ({ name: e.name, time: e.time, attributes: fromKV(e.attributes) })),
    },
  };
}
