import type { LogRecord } from './log-model.js';

/**
 * The most a single stored log or span may take: MongoDB's document limit (16 MiB, which FerretDB shares).
 * A record past it cannot be written at all, and the driver refuses the whole batch it travels in, so
 * ingestion checks every record first and turns the oversized ones away one by one.
 */
export const MAX_STORED_RECORD_BYTES = 16 * 1024 * 1024;

// Room per stored value for what surrounds it in the document: type byte, key, length prefix, terminators,
// the {k, v} wrapper of a map entry and its array index. Generous on purpose: this is an upper bound.
const PER_VALUE = 64;
// Dates, numbers, booleans and the other short fixed fields of a record.
const FIXED = 4096;

/**
 * An upper bound of the record's stored size. `exact` counts UTF-8 bytes; otherwise every UTF-16 unit is
 * taken as 3 bytes (its worst case) and headers' JSON text as 6 per unit (\u escapes), which costs nothing
 * to compute and settles all but multi-megabyte records.
 */
function sizeBound(r: LogRecord, exact: boolean): number {
  const text = exact ? (s: string) => Buffer.byteLength(s) : (s: string) => 3 * s.length;
  const json = exact ? (h: Record<string, string>) => Buffer.byteLength(JSON.stringify(h)) : (h: Record<string, string>) => headersBound(h);
  const opt = (s: string | undefined) => (s === undefined ? 0 : PER_VALUE + text(s));
  const map = (m: Record<string, string>) => {
    let n = PER_VALUE;
    for (const k in m) n += PER_VALUE + text(k) + text(m[k]!);
    return n;
  };
  let n = FIXED + opt(r.id) + opt(r.workspaceId) + opt(r.organisationId) + opt(r.clientId) + opt(r.traceId) + opt(r.spanId) +
    opt(r.parentSpanId) + opt(r.spanName) + opt(r.request.url) + opt(r.request.method) + opt(r.request.provider) +
    opt(r.request.body) + opt(r.response.body) + PER_VALUE + json(r.request.headers) + PER_VALUE + json(r.response.headers) +
    map(r.metadata);
  const derived = r.derived as unknown as Record<string, unknown>;
  for (const k in derived) {
    const v = derived[k];
    n += PER_VALUE + (typeof v === 'string' ? text(v) : 0);
  }
  const s = r.span;
  if (s !== undefined) {
    n += opt(s.kind) + opt(s.statusMessage) + opt(s.serviceName) + opt(s.scopeName) + opt(s.operation) + map(s.attributes) + map(s.resourceAttributes);
    for (const e of s.events) n += PER_VALUE + opt(e.name) + map(e.attributes);
  }
  return n;
}

function headersBound(h: Record<string, string>): number {
  let n = 2;
  for (const k in h) n += 6 * (k.length + h[k]!.length) + 6;
  return n;
}

/** Whether the record is too large to be stored as one document. */
export function exceedsStoredLimit(r: LogRecord): boolean {
  return sizeBound(r, false) >= MAX_STORED_RECORD_BYTES && sizeBound(r, true) >= MAX_STORED_RECORD_BYTES;
}

export const STORED_LIMIT_TEXT = `${MAX_STORED_RECORD_BYTES / (1024 * 1024)} MiB`;
