import { DomainError, type ErrorDetail } from '../errors.js';
import { DERIVED_COLUMNS, DERIVED_KEYS, type ExportedDerivedName } from '../logs/derived-columns.js';
import type { LogRecord } from '../logs/log-model.js';
import { parseStoredBody } from '../logs/stored-body.js';

/**
 * What the export job feeds per log: the subset of LogRecord the fields read. A full LogRecord is
 * assignable, and so is a lighter object built straight from a projected database document (headers and
 * span details are never exported, so the job need not decode them).
 */
export type ExportRow = Pick<
  LogRecord,
  'id' | 'createdAt' | 'traceId' | 'spanId' | 'parentSpanId' | 'spanName' | 'metadata' | 'derived' | 'weightedFeedback'
> & {
  request: Pick<LogRecord['request'], 'url' | 'method' | 'body'>;
  response: Pick<LogRecord['response'], 'body'>;
};

/**
 * One requested column. Three renderings of the same value, so each format pays only for what it needs:
 * - `value`: the plain value (what a JSONL line holds under `name`); missing values are null;
 * - `json`:  the JSON text of `value`, produced without building `value` (request/response bodies are
 *            spliced from the stored JSON text instead of being parsed and re-serialised);
 * - `csv`:   the unquoted cell text ('' for null; objects and arrays as JSON); the encoder quotes it.
 */
export interface ExportField {
  /** As requested; the output key / CSV column. */
  readonly name: string;
  /** The current-generation name this one stands for (e.g. `ai_provider` for `ai_org`). */
  readonly canonical: string;
  value(row: ExportRow): unknown;
  json(row: ExportRow): string;
  csv(row: ExportRow): string;
}

export type ExportFieldSpec = Omit<ExportField, 'name'> & { readonly description: string };

type Kind = 'string' | 'number' | 'boolean' | 'date' | 'object' | 'body';

// Values are typed loosely on purpose: exports read whatever the store holds, so every renderer
// tolerates absent or malformed values and turns them into null rather than failing the job.
function spec(canonical: string, kind: Kind, description: string, get: (r: ExportRow) => unknown): ExportFieldSpec {
  switch (kind) {
    case 'string':
      return {
        canonical,
        description,
        value: (r) => {
          const v = get(r);
          return typeof v === 'string' ? v : null;
        },
        json: (r) => {
          const v = get(r);
          return typeof v === 'string' ? JSON.stringify(v) : 'null';
        },
        csv: (r) => {
          const v = get(r);
          return typeof v === 'string' ? v : '';
        },
      };
    case 'number':
      return {
        canonical,
        description,
        value: (r) => {
          const v = get(r);
          return typeof v === 'number' && Number.isFinite(v) ? v : null;
        },
        // Number#toString and JSON agree on every finite number, exponent notation included.
        json: (r) => {
          const v = get(r);
          return typeof v === 'number' && Number.isFinite(v) ? String(v) : 'null';
        },
        csv: (r) => {
          const v = get(r);
          return typeof v === 'number' && Number.isFinite(v) ? String(v) : '';
        },
      };
    case 'boolean':
      return {
        canonical,
        description,
        value: (r) => {
          const v = get(r);
          return typeof v === 'boolean' ? v : null;
        },
        json: (r) => {
          const v = get(r);
          return v === true ? 'true' : v === false ? 'false' : 'null';
        },
        csv: (r) => {
          const v = get(r);
          return v === true ? 'true' : v === false ? 'false' : '';
        },
      };
    case 'date': {
      const iso = (r: ExportRow): string | null => {
        const v = get(r);
        return v instanceof Date && !Number.isNaN(v.getTime()) ? v.toISOString() : null;
      };
      return {
        canonical,
        description,
        value: iso,
        // An ISO timestamp never contains characters JSON must escape.
        json: (r) => {
          const v = iso(r);
          return v === null ? 'null' : `"${v}"`;
        },
        csv: (r) => iso(r) ?? '',
      };
    }
    case 'object':
      return {
        canonical,
        description,
        value: (r) => get(r) ?? null,
        json: (r) => JSON.stringify(get(r) ?? null),
        csv: (r) => {
          const v = get(r);
          return v === undefined || v === null ? '' : JSON.stringify(v);
        },
      };
    case 'body':
      return {
        canonical,
        description,
        value: (r) => parseBody(get(r)),
        json: (r) => bodyJson(get(r)),
        csv: (r) => {
          const v = get(r);
          return typeof v === 'string' ? bodyJson(v) : '';
        },
      };
  }
}

/** A missing body is null; otherwise the stored JSON (or the text, when it is not JSON). */
function parseBody(text: unknown): unknown {
  return typeof text === 'string' ? parseStoredBody(text) : null;
}

const JSON_SCALAR = /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)$/;

/**
 * The JSON text of a stored body, normally the stored text itself: every writer stores bodies with
 * JSON.stringify, whose output is valid, compact and free of raw line breaks. Parsing and re-serialising
 * ~2 KB per row would dominate the export's CPU, so only the framing is checked here; text with raw line
 * breaks (pretty-printed, which would split a JSONL line) or without JSON framing takes the slow path.
 */
function bodyJson(text: unknown): string {
  if (typeof text !== 'string') return 'null';
  const n = text.length;
  if (n >= 2) {
    const first = text.charCodeAt(0);
    const last = text.charCodeAt(n - 1);
    const framed = (first === 123 && last === 125) || (first === 91 && last === 93) || (first === 34 && last === 34);
    if (framed && text.indexOf('\n') === -1 && text.indexOf('\r') === -1) return text;
  }
  if (n > 0 && n < 64 && JSON_SCALAR.test(text)) return text;
  return JSON.stringify(parseBody(text));
}

/** The exportable derived fields, from the one field table. */
function derivedSpecs(): Record<ExportedDerivedName, ExportFieldSpec> {
  const specs: Record<string, ExportFieldSpec> = {};
  for (const k of DERIVED_KEYS) {
    const { exportAs, kind, description } = DERIVED_COLUMNS[k];
    if (exportAs) specs[exportAs] = spec(exportAs, kind, description, (r) => r.derived[k]);
  }
  return specs as Record<ExportedDerivedName, ExportFieldSpec>;
}

// The current generation's names first (in the order of the seed's table), then the older seed's aliases.
const CATALOGUE = {
  id: spec('id', 'string', 'Unique identifier of the log', (r) => r.id),
  trace_id: spec('trace_id', 'string', 'Trace the request belongs to', (r) => r.traceId),
  span_id: spec('span_id', 'string', 'Span id within the trace', (r) => r.spanId),
  parent_span_id: spec('parent_span_id', 'string', 'Parent span id within the trace', (r) => r.parentSpanId),
  span_name: spec('span_name', 'string', 'Span name', (r) => r.spanName),
  created_at: spec('created_at', 'date', 'Timestamp of the request (ISO 8601)', (r) => r.createdAt),
  request: spec('request', 'body', 'Request JSON payload, as sent', (r) => r.request.body),
  response: spec('response', 'body', 'Response JSON payload, as received', (r) => r.response.body),
  ...derivedSpecs(),
  weighted_feedback: spec('weighted_feedback', 'number', "Weighted mean of the feedback given to the log's trace", (r) => r.weightedFeedback),
  request_url: spec('request_url', 'string', 'Final provider API URL', (r) => r.request.url),
  request_method: spec('request_method', 'string', 'HTTP request method', (r) => r.request.method),
  metadata: spec('metadata', 'object', 'Custom metadata, as an object', (r) => r.metadata ?? {}),
  'metadata.key': spec('metadata.key', 'object', 'Custom metadata keys, as an array', (r) => Object.keys(r.metadata ?? {})),
  'metadata.value': spec('metadata.value', 'object', 'Custom metadata values, as an array (same order as metadata.key)', (r) =>
    Object.values(r.metadata ?? {}),
  ),
} satisfies Record<string, ExportFieldSpec>;

const ALIASES = {
  'request.body': 'request',
  'response.body': 'response',
  ai_org: 'ai_provider',
  req_units: 'request_tokens',
  res_units: 'response_tokens',
  total_units: 'total_tokens',
  response_status_code: 'status_code',
} as const satisfies Record<string, keyof typeof CATALOGUE>;

export type ExportFieldName = keyof typeof CATALOGUE | keyof typeof ALIASES;

/** Every requestable field, by either generation of names; aliases share their canonical field's spec. */
export const EXPORT_FIELDS: Readonly<Record<ExportFieldName, ExportFieldSpec>> = Object.freeze({
  ...CATALOGUE,
  ...(Object.fromEntries(Object.entries(ALIASES).map(([alias, target]) => [alias, CATALOGUE[target]])) as Record<keyof typeof ALIASES, ExportFieldSpec>),
});

/** All valid names (for validation messages, GraphQL enums, UI pickers). */
export const EXPORT_FIELD_NAMES: readonly ExportFieldName[] = Object.freeze(Object.keys(EXPORT_FIELDS) as ExportFieldName[]);

/** The seed's example selection. */
export const DEFAULT_EXPORT_FIELDS: readonly ExportFieldName[] = Object.freeze([
  'id',
  'trace_id',
  'created_at',
  'request',
  'response',
  'ai_provider',
  'ai_model',
  'request_tokens',
  'response_tokens',
  'total_tokens',
  'cost',
  'response_time',
  'status_code',
] as const);

// A Map, not the object: names come from clients, and "constructor" or "__proto__" must not resolve.
const BY_NAME: ReadonlyMap<string, ExportFieldSpec> = new Map(Object.entries(EXPORT_FIELDS));

const VALID_LIST = EXPORT_FIELD_NAMES.join(', ');

/** Echoes client input in messages without letting a huge or multi-line value through. */
function show(v: unknown): string {
  const s = typeof v === 'string' ? v : String(v);
  return JSON.stringify(s.length > 80 ? `${s.slice(0, 80)}…` : s);
}

/**
 * Validates requested_data and resolves it to fields in the requested order, dropping repeats of a name
 * (the first occurrence wins). Distinct names for the same value (`ai_org` and `ai_provider`) are both
 * kept: each output line has exactly the keys asked for.
 */
export function resolveRequestedFields(requested: readonly string[]): ExportField[] {
  if (!Array.isArray(requested) || requested.length === 0) {
    throw new DomainError('BAD_REQUEST', `requested_data must list at least one field; valid fields: ${VALID_LIST}`, [
      { path: ['requested_data'], message: `List at least one field; valid fields: ${VALID_LIST}` },
    ]);
  }
  const details: ErrorDetail[] = [];
  const seen = new Set<string>();
  const fields: ExportField[] = [];
  requested.forEach((name: unknown, i) => {
    const found = typeof name === 'string' ? BY_NAME.get(name) : undefined;
    if (found === undefined) {
      details.push({ path: ['requested_data', i], message: `Unknown field ${show(name)}; valid fields: ${VALID_LIST}` });
      return;
    }
    const key = name as string;
    if (seen.has(key)) return;
    seen.add(key);
    fields.push({ name: key, canonical: found.canonical, value: found.value, json: found.json, csv: found.csv });
  });
  if (details.length > 0) {
    const unknown = details.map((e) => show(requested[e.path![1] as number])).join(', ');
    throw new DomainError('BAD_REQUEST', `Unknown requested_data field(s): ${unknown}. Valid fields: ${VALID_LIST}`, details);
  }
  return fields;
}
