import { DomainError } from '../../domain/errors.js';
import type { AttributeValue, Attributes, OtlpEvent, OtlpExport, OtlpResourceSpans, OtlpScopeSpans, OtlpSpan } from '../../domain/traces/otlp-model.js';
import { opentelemetry } from './generated/otlp-trace.js';
import { MAX_VALUE_DEPTH, bytesToBase64, bytesToHex, isZeroHex, makeEvent, makeSpan, nanosToMs, setAttribute } from './shape.js';

export { decodeOtlpJson } from './decode-json.js';

const v1 = opentelemetry.proto;
const ExportTraceServiceRequest = v1.collector.trace.v1.ExportTraceServiceRequest;
type IKeyValue = opentelemetry.proto.common.v1.IKeyValue;
type IAnyValue = opentelemetry.proto.common.v1.IAnyValue;
type ISpan = opentelemetry.proto.trace.v1.ISpan;

/** What protobufjs hands back for int64 when the `long` package is present. */
interface LongLike {
  toNumber(): number;
  toString(): string;
}

/** Safe integers become numbers; larger ones keep their exact decimal text rather than silently rounding. */
function int64Value(v: unknown): number | string {
  if (typeof v === 'number') return v;
  const n = (v as LongLike).toNumber();
  return Number.isSafeInteger(n) ? n : (v as LongLike).toString();
}

function anyValue(v: IAnyValue | null | undefined, depth: number): AttributeValue {
  if (v == null) return null;
  // Oneof members default to null on the prototype, so a direct null check finds the one that is set.
  if (v.stringValue != null) return v.stringValue;
  if (v.intValue != null) return int64Value(v.intValue);
  if (v.doubleValue != null) return v.doubleValue;
  if (v.boolValue != null) return v.boolValue;
  if (depth >= MAX_VALUE_DEPTH) throw new DomainError('BAD_REQUEST', 'Invalid OTLP protobuf body: attribute values nest too deeply');
  if (v.arrayValue != null) {
    const values = v.arrayValue.values ?? [];
    const out: AttributeValue[] = new Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = anyValue(values[i], depth + 1);
    return out;
  }
  if (v.kvlistValue != null) return attributes(v.kvlistValue.values, depth + 1);
  if (v.bytesValue != null) return bytesToBase64(v.bytesValue);
  return null;
}

function attributes(kvs: IKeyValue[] | null | undefined, depth: number): Attributes {
  const out: Attributes = {};
  if (kvs == null) return out;
  for (let i = 0; i < kvs.length; i++) {
    const kv = kvs[i]!;
    setAttribute(out, kv.key ?? '', anyValue(kv.value, depth));
  }
  return out;
}

function idHex(b: Uint8Array | null | undefined): string {
  return b == null || b.length === 0 ? '' : bytesToHex(b);
}

function span(s: ISpan): OtlpSpan {
  const parent = idHex(s.parentSpanId);
  const evs = s.events;
  const events: OtlpEvent[] = [];
  if (evs != null) {
    for (let i = 0; i < evs.length; i++) {
      const e = evs[i]!;
      events.push(makeEvent(nanosToMs(Number(e.timeUnixNano ?? 0)), e.name ?? '', attributes(e.attributes, 0)));
    }
  }
  const end = Number(s.endTimeUnixNano ?? 0);
  const status = s.status;
  return makeSpan(
    idHex(s.traceId),
    idHex(s.spanId),
    parent === '' || isZeroHex(parent) ? undefined : parent,
    s.name ?? '',
    s.kind ?? 0,
    nanosToMs(Number(s.startTimeUnixNano ?? 0)),
    end > 0 ? nanosToMs(end) : undefined,
    attributes(s.attributes, 0),
    events,
    status?.code ?? 0,
    status?.message || undefined,
  );
}

/**
 * Decodes an `application/x-protobuf` ExportTraceServiceRequest. Walks the generated message classes
 * directly (no toObject), which is where most of the decoding budget would otherwise go.
 */
export function decodeOtlpProtobuf(buf: Buffer): OtlpExport {
  let req: opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
  try {
    req = ExportTraceServiceRequest.decode(buf);
  } catch (err) {
    throw new DomainError('BAD_REQUEST', `Invalid OTLP protobuf body: ${err instanceof Error ? err.message : String(err)}`);
  }
  const resourceSpans: OtlpResourceSpans[] = [];
  for (const rs of req.resourceSpans ?? []) {
    const scopeSpans: OtlpScopeSpans[] = [];
    for (const ss of rs.scopeSpans ?? []) {
      const spans: OtlpSpan[] = [];
      const list = ss.spans ?? [];
      for (let i = 0; i < list.length; i++) spans.push(span(list[i]!));
      const sc = ss.scope;
      scopeSpans.push({
        scope: { name: sc?.name || undefined, version: sc?.version || undefined, attributes: attributes(sc?.attributes, 0) },
        spans,
      });
    }
    resourceSpans.push({ resource: attributes(rs.resource?.attributes, 0), scopeSpans });
  }
  return { resourceSpans };
}
