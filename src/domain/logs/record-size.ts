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
 * The record's stored size, counted exactly enough to never pass a record that does not fit: UTF-8 bytes of
 * every string, headers as their JSON text, plus room around each value. Only called for the rare record
 * that the quick bound below cannot clear.
 */
function storedSize(r: LogRecord): number {
  const opt = (s: string | undefined) => (s === undefined ? 0 : PER_VALUE + Buffer.byteLength(s));
  const map = (m: Record<string, string>) => {
    let n = PER_VALUE;
    for (const k in m) n += PER_VALUE + Buffer.byteLength(k) + Buffer.byteLength(m[k]!);
    return n;
  };
  let n =
    FIXED +
    opt(r.id) +
    opt(r.workspaceId) +
    opt(r.organisationId) +
    opt(r.clientId) +
    opt(r.traceId) +
    opt(r.spanId) +
    opt(r.parentSpanId) +
    opt(r.spanName) +
    opt(r.request.url) +
    opt(r.request.method) +
    opt(r.request.provider) +
    opt(r.request.body) +
    opt(r.response.body) +
    opt(JSON.stringify(r.request.headers)) +
    opt(JSON.stringify(r.response.headers)) +
    map(r.metadata);
  const derived = r.derived as unknown as Record<string, unknown>;
  for (const k in derived) {
    const v = derived[k];
    n += PER_VALUE + (typeof v === 'string' ? Buffer.byteLength(v) : 0);
  }
  const s = r.span;
  if (s !== undefined) {
    n += opt(s.kind) + opt(s.statusMessage) + opt(s.serviceName) + opt(s.scopeName) + opt(s.operation) + map(s.attributes) + map(s.resourceAttributes);
    for (const e of s.events) n += PER_VALUE + opt(e.name) + map(e.attributes);
  }
  return n;
}

/** UTF-16 units of a map's keys and values, with room for its entries. */
function mapUnits(m: Record<string, string>): number {
  let n = 0;
  for (const k in m) n += k.length + m[k]!.length + PER_VALUE;
  return n;
}

/**
 * A quick upper bound, run on every record: the text it holds in UTF-16 units (ids, names and other short
 * fields are covered by the allowance), times 12 (3 UTF-8 bytes per unit, twice for JSON escapes in headers,
 * twice again for derived fields copied from metadata, URL or body). Far below the limit for all but huge records.
 */
function quickBound(r: LogRecord): number {
  let units =
    r.request.url.length +
    r.request.body.length +
    r.response.body.length +
    (r.request.provider?.length ?? 0) +
    (r.clientId?.length ?? 0) +
    (r.spanName?.length ?? 0) +
    mapUnits(r.metadata) +
    mapUnits(r.request.headers) +
    mapUnits(r.response.headers);
  const s = r.span;
  if (s !== undefined) {
    units += (s.statusMessage?.length ?? 0) + (s.scopeName?.length ?? 0) + mapUnits(s.attributes) + mapUnits(s.resourceAttributes);
    for (const e of s.events) units += e.name.length + mapUnits(e.attributes);
  }
  return FIXED + 12 * (units + 16 * PER_VALUE);
}

/** Whether the record is too large to be stored as one document. */
export function exceedsStoredLimit(r: LogRecord): boolean {
  return quickBound(r) >= MAX_STORED_RECORD_BYTES && storedSize(r) >= MAX_STORED_RECORD_BYTES;
}

export const STORED_LIMIT_TEXT = `${MAX_STORED_RECORD_BYTES / (1024 * 1024)} MiB`;
