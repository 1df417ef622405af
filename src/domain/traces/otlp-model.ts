/**
 * An OTLP trace export, decoded from protobuf or JSON into one transport-neutral shape. Ids are
 * lowercase hex; times are milliseconds since the epoch (fractional, so sub-ms precision survives).
 */
export type AttributeValue = string | number | boolean | null | AttributeValue[] | { [key: string]: AttributeValue };
export type Attributes = Record<string, AttributeValue>;

export interface OtlpEvent {
  timeMs: number;
  name: string;
  attributes: Attributes;
}

export interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** SpanKind enum: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startTimeMs: number;
  endTimeMs?: number;
  attributes: Attributes;
  events: OtlpEvent[];
  /** Status code: 0 unset, 1 ok, 2 error. */
  status: { code: number; message?: string };
}

export interface OtlpScopeSpans {
  scope: { name?: string; version?: string; attributes: Attributes };
  spans: OtlpSpan[];
}

export interface OtlpResourceSpans {
  resource: Attributes;
  scopeSpans: OtlpScopeSpans[];
}

export interface OtlpExport {
  resourceSpans: OtlpResourceSpans[];
}
