import { DomainError } from '../../domain/errors.js';
import { isPlainObject } from '../../domain/values.js';
import type { AttributeValue, Attributes, OtlpEvent, OtlpExport, OtlpResourceSpans, OtlpScopeSpans, OtlpSpan } from '../../domain/traces/otlp-model.js';
import { MAX_VALUE_DEPTH, isZeroHex, makeEvent, makeSpan, nanosToMs, setAttribute } from './shape.js';

/*
 * OTLP/JSON as the exporters send it: lowerCamelCase keys (snake_case accepted too), hex ids, int64s as
 * strings or numbers, enums as integers (their names accepted too). A structural type error rejects the
 * whole request, as a protobuf JSON parser would; a malformed id only rejects its span later.
 */

type Obj = Record<string, unknown>;

/** Thrown inside a span or resource; the loop that caught it adds where it happened. */
class ShapeError extends Error {}

function obj(v: unknown, what: string): Obj | undefined {
  if (v == null) return undefined;
  if (!isPlainObject(v)) throw new ShapeError(`${what} must be an object`);
  return v;
}

function arr(v: unknown, what: string): unknown[] {
  if (v == null) return [];
  if (!Array.isArray(v)) throw new ShapeError(`${what} must be an array`);
  return v;
}

function str(v: unknown, what: string): string {
  if (v == null) return '';
  if (typeof v !== 'string') throw new ShapeError(`${what} must be a string`);
  return v;
}

function isHexOfLength(s: string, len: number): boolean {
  if (s.length !== len) return false;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70))) return false;
  }
  return true;
}

function isBase64Of(s: string, bytes: number): boolean {
  const bare = Math.ceil((bytes * 4) / 3);
  const padded = Math.ceil(bytes / 3) * 4;
  if (s.length !== bare && s.length !== padded) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ok = (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47 || c === 45 || c === 95 || (c === 61 && i >= bare);
    if (!ok) return false;
  }
  return true;
}

/**
 * Hex first (what the OTLP/JSON spec and the JS exporter use); base64 (the generic protobuf JSON mapping of
 * bytes) only when the text cannot be hex of that length. Anything else is passed through to be rejected.
 */
function id(v: unknown, bytes: number, what: string): string {
  const s = str(v, what);
  if (s === '') return s;
  if (isHexOfLength(s, bytes * 2)) return s.toLowerCase();
  if (isBase64Of(s, bytes)) {
    const b = Buffer.from(s, 'base64');
    if (b.length === bytes) return b.toString('hex');
  }
  return s;
}

function isIntegerText(s: string): boolean {
  let i = s.charCodeAt(0) === 45 /* - */ ? 1 : 0;
  if (i === s.length) return false;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function nanos(v: unknown, what: string): number {
  if (v == null || v === '') return 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && isIntegerText(v)) return Number(v);
  throw new ShapeError(`${what} must be an integer or a decimal string`);
}

function intValue(v: unknown): number | string {
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return v;
  } else if (typeof v === 'string' && isIntegerText(v)) {
    const n = Number(v);
    // Beyond 2^53 the exact decimal text is kept, as the protobuf path does.
    return Number.isSafeInteger(n) ? n : v;
  }
  throw new ShapeError('intValue must be an integer or a decimal string');
}

function doubleValue(v: unknown): number {
  if (typeof v === 'number') return v;
  // Proto3 JSON spells the non-finite doubles as strings.
  if (v === 'NaN' || v === 'Infinity' || v === '-Infinity') return Number(v);
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw new ShapeError('doubleValue must be a number');
}

function anyValue(v: unknown, depth: number): AttributeValue {
  if (v == null) return null;
  if (!isPlainObject(v)) throw new ShapeError('attribute value must be an AnyValue object');
  let x: unknown;
  if ((x = v.stringValue ?? v.string_value) !== undefined) return str(x, 'stringValue');
  if ((x = v.intValue ?? v.int_value) !== undefined) return intValue(x);
  if ((x = v.doubleValue ?? v.double_value) !== undefined) return doubleValue(x);
  if ((x = v.boolValue ?? v.bool_value) !== undefined) {
    if (typeof x !== 'boolean') throw new ShapeError('boolValue must be a boolean');
    return x;
  }
  if (depth >= MAX_VALUE_DEPTH) throw new ShapeError('attribute values nest too deeply');
  if ((x = v.arrayValue ?? v.array_value) !== undefined) {
    const values = arr(obj(x, 'arrayValue')?.values, 'arrayValue.values');
    const out: AttributeValue[] = new Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = anyValue(values[i], depth + 1);
    return out;
  }
  if ((x = v.kvlistValue ?? v.kvlist_value) !== undefined) return attributes(obj(x, 'kvlistValue')?.values, depth + 1);
  if ((x = v.bytesValue ?? v.bytes_value) !== undefined) return str(x, 'bytesValue');
  return null;
}

function attributes(v: unknown, depth: number): Attributes {
  const out: Attributes = {};
  if (v == null) return out;
  if (!Array.isArray(v)) throw new ShapeError('attributes must be an array');
  for (let i = 0; i < v.length; i++) {
    const kv = v[i];
    if (!isPlainObject(kv)) throw new ShapeError('attributes must hold {key, value} objects');
    setAttribute(out, str(kv.key, 'attribute key'), anyValue(kv.value, depth));
  }
  return out;
}

const KINDS: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};
const STATUS: Record<string, number> = { STATUS_CODE_UNSET: 0, STATUS_CODE_OK: 1, STATUS_CODE_ERROR: 2 };

function enumValue(v: unknown, names: Record<string, number>, what: string): number {
  if (v == null) return 0;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && Object.hasOwn(names, v)) return names[v]!;
  throw new ShapeError(`${what} must be an enum integer`);
}

function span(s: unknown): OtlpSpan {
  if (!isPlainObject(s)) throw new ShapeError('span must be an object');
  const parent = id(s.parentSpanId ?? s.parent_span_id, 8, 'parentSpanId');
  const evs = arr(s.events, 'events');
  const events: OtlpEvent[] = [];
  for (let i = 0; i < evs.length; i++) {
    const e = evs[i];
    if (!isPlainObject(e)) throw new ShapeError('events must hold objects');
    events.push(makeEvent(nanosToMs(nanos(e.timeUnixNano ?? e.time_unix_nano, 'event timeUnixNano')), str(e.name, 'event name'), attributes(e.attributes, 0)));
  }
  const end = nanos(s.endTimeUnixNano ?? s.end_time_unix_nano, 'endTimeUnixNano');
  const status = obj(s.status, 'status');
  return makeSpan(
    id(s.traceId ?? s.trace_id, 16, 'traceId'),
    id(s.spanId ?? s.span_id, 8, 'spanId'),
    parent === '' || isZeroHex(parent) ? undefined : parent,
    str(s.name, 'name'),
    enumValue(s.kind, KINDS, 'kind'),
    nanosToMs(nanos(s.startTimeUnixNano ?? s.start_time_unix_nano, 'startTimeUnixNano')),
    end > 0 ? nanosToMs(end) : undefined,
    attributes(s.attributes, 0),
    events,
    status ? enumValue(status.code, STATUS, 'status.code') : 0,
    (status && str(status.message, 'status.message')) || undefined,
  );
}

function bad(where: string, err: unknown): DomainError {
  if (err instanceof ShapeError) return new DomainError('BAD_REQUEST', `Invalid OTLP JSON body: ${where}: ${err.message}`);
  if (err instanceof DomainError) return err;
  return new DomainError('BAD_REQUEST', `Invalid OTLP JSON body: ${where}: ${err instanceof Error ? err.message : String(err)}`);
}

/** Decodes an `application/json` ExportTraceServiceRequest, given as text (or bytes) or already parsed. */
export function decodeOtlpJson(text: string | unknown): OtlpExport {
  let body: unknown = text;
  if (body instanceof Uint8Array) body = Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch (err) {
      throw new DomainError('BAD_REQUEST', `Invalid OTLP JSON body: ${err instanceof Error ? err.message : 'not JSON'}`);
    }
  }
  if (!isPlainObject(body)) throw new DomainError('BAD_REQUEST', 'Invalid OTLP JSON body: expected an ExportTraceServiceRequest object');
  const resourceSpans: OtlpResourceSpans[] = [];
  let rsList: unknown[];
  try {
    rsList = arr(body.resourceSpans ?? body.resource_spans, 'resourceSpans');
  } catch (err) {
    throw bad('(root)', err);
  }
  for (let r = 0; r < rsList.length; r++) {
    let resource: Attributes;
    let ssList: unknown[];
    const rs = rsList[r];
    try {
      if (!isPlainObject(rs)) throw new ShapeError('must be an object');
      resource = attributes(obj(rs.resource, 'resource')?.attributes, 0);
      ssList = arr(rs.scopeSpans ?? rs.scope_spans, 'scopeSpans');
    } catch (err) {
      throw bad(`resourceSpans[${r}]`, err);
    }
    const scopeSpans: OtlpScopeSpans[] = [];
    for (let c = 0; c < ssList.length; c++) {
      const ss = ssList[c];
      let scope: OtlpScopeSpans['scope'];
      let list: unknown[];
      try {
        if (!isPlainObject(ss)) throw new ShapeError('must be an object');
        const sc = obj(ss.scope, 'scope');
        scope = {
          name: str(sc?.name, 'scope.name') || undefined,
          version: str(sc?.version, 'scope.version') || undefined,
          attributes: attributes(sc?.attributes, 0),
        };
        list = arr(ss.spans, 'spans');
      } catch (err) {
        throw bad(`resourceSpans[${r}].scopeSpans[${c}]`, err);
      }
      const spans: OtlpSpan[] = [];
      for (let i = 0; i < list.length; i++) {
        try {
          spans.push(span(list[i]));
        } catch (err) {
          throw bad(`resourceSpans[${r}].scopeSpans[${c}].spans[${i}]`, err);
        }
      }
      scopeSpans.push({ scope, spans });
    }
    resourceSpans.push({ resource, scopeSpans });
  }
  return { resourceSpans };
}
