import { setOwn } from '../../domain/own-property.js';
import type { AttributeValue, Attributes, OtlpEvent, OtlpSpan } from '../../domain/traces/otlp-model.js';

/**
 * How deep arrays and maps may nest inside an attribute value. protobufjs' own recursion limit only bites
 * beyond this depth, so both encodings accept and reject exactly the same values.
 */
export const MAX_VALUE_DEPTH = 32;

const HEX_BYTE: string[] = [];
for (let i = 0; i < 256; i++) HEX_BYTE.push((i < 16 ? '0' : '') + i.toString(16));

/** Lowercase hex of an id; Buffers take the native path, plain Uint8Arrays a table loop. */
export function bytesToHex(b: Uint8Array): string {
  if (Buffer.isBuffer(b)) return b.toString('hex');
  let s = '';
  for (let i = 0; i < b.length; i++) s += HEX_BYTE[b[i]!];
  return s;
}

export function bytesToBase64(b: Uint8Array): string {
  return (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength)).toString('base64');
}

/** An all-zero id is the protocol's "no id": a parent like that means a root span. */
export function isZeroHex(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== 48 /* 0 */) return false;
  return true;
}

/** Attribute keys come from the client: "__proto__" must become an own property, not a prototype swap. */
export const setAttribute: (o: Attributes, key: string, value: AttributeValue) => void = setOwn;

// Both decoders build spans and events through these two functions, so every span object has one hidden
// class whichever encoding it came from (the mapper's property reads stay monomorphic).
export function makeSpan(
  traceId: string,
  spanId: string,
  parentSpanId: string | undefined,
  name: string,
  kind: number,
  startTimeMs: number,
  endTimeMs: number | undefined,
  attributes: Attributes,
  events: OtlpEvent[],
  statusCode: number,
  statusMessage: string | undefined,
): OtlpSpan {
  return {
    traceId,
    spanId,
    parentSpanId,
    name,
    kind,
    startTimeMs,
    endTimeMs,
    attributes,
    events,
    status: { code: statusCode, message: statusMessage },
  };
}

export function makeEvent(timeMs: number, name: string, attributes: Attributes): OtlpEvent {
  return { timeMs, name, attributes };
}

/**
 * Nanoseconds since the epoch as milliseconds with microsecond decimals; 0 (unset) stays 0. A double holds
 * today's nanosecond timestamps only to ~256 ns, so a whole millisecond can arrive as x.9999997: rounding to
 * the microsecond gives it back exactly (and a Date built from it lands on the right millisecond).
 */
export function nanosToMs(nanos: number): number {
  return Math.round(nanos / 1e3) / 1e3;
}
