import { type DerivedDocFields, derivedFromColumns, derivedToColumns } from '../../domain/logs/derived-columns.js';
import type { LogRecord, SpanDetails } from '../../domain/logs/log-model.js';
import { setOwn } from '../../domain/own-property.js';

/** Arbitrary keys (metadata, attributes) are stored as {k, v} pairs: indexable, and safe for keys with dots or $. */
export interface KV {
  k: string;
  v: string;
}

/**
 * The stored shape: flat, snake_case, with bodies and headers as JSON text (cheap to encode, kept exact,
 * and immune to key restrictions). Derived fields sit at the top level so filters and indexes reach them
 * (their columns are named in DERIVED_COLUMNS).
 */
export interface LogDoc extends DerivedDocFields {
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
  const doc = {
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
    span: r.span && spanToDoc(r.span),
  } as LogDoc;
  derivedToColumns(r.derived, doc as unknown as Record<string, unknown>);
  return doc;
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
  const derived = derivedFromColumns(doc as unknown as Record<string, unknown>);
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
