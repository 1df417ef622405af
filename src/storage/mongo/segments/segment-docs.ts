import { Binary, BSON } from 'mongodb';
import { LISTED_DERIVED_COLUMNS, type ListedDerivedColumn } from '../../../domain/logs/derived-columns.js';
import type { LogDoc } from '../log-document.js';

/**
 * A log is stored as a list document and a body. The list document holds only what filters, sorts and
 * lists read, as few values as possible: FerretDB's cost to scan a document grows with its number of values
 * (measured: 1,000 list documents of ~45 values took 1.6x as long as 1,000 bodies of 5 long strings), and
 * every read but a lookup by _id scans whole segments. The body holds headers, bodies and every other field
 * packed into one BSON value; it is stored in a batch with others (segment-bodies.ts), read by the batch's exact
 * _id, and only for the rows a page, a trace or an export returns.
 */
export type ListDoc = Pick<LogDoc, (typeof BASE_LIST_FIELDS)[number] | ListedDerivedColumn> & {
  /** Metadata pairs as `key<US>value` strings (see metaPair): one value each, matched by $all. */
  meta: string[];
  /** The body batch holding this log's body (segment-bodies.ts); absent when the body has a document of its own. */
  body_batch?: string;
};

export interface BodyDoc {
  _id: string;
  request_headers: string;
  request_body: string;
  response_headers: string;
  response_body: string;
  /**
   * Every other field of the log (organisation, URL, span details, ...). A body is stored inside a body batch's
   * one encoded value (segment-bodies.ts), so this is a plain document there; bodies stored one document each by
   * earlier versions packed it into a BSON Binary of its own (restOf reads both).
   */
  rest: Record<string, unknown> | Binary;
}

// client_id stays on the list document so that a stored log can be found by the client's idempotency id.
const BASE_LIST_FIELDS = ['_id', 'workspace_id', 'client_id', 'source', 'created_at', 'trace_id', 'span_id', 'parent_span_id', 'span_name'] as const;
const LIST_FIELDS: readonly string[] = [...BASE_LIST_FIELDS, ...LISTED_DERIVED_COLUMNS];
const BODY_FIELDS = ['request_headers', 'request_body', 'response_headers', 'response_body'] as const;
const NOT_REST = new Set<string>([...LIST_FIELDS, ...BODY_FIELDS, 'metadata']);

/** One string per metadata pair; the separator (ASCII unit separator) does not occur in ordinary keys. */
export const metaPair = (k: string, v: string) => `${k}\u001f${v}`;
export const metaKeyOf = (pair: string) => pair.slice(0, pair.indexOf('\u001f'));

export function splitLogDoc(doc: LogDoc): { list: ListDoc; body: BodyDoc } {
  const fields = doc as unknown as Record<string, unknown>;
  // The list fields by name: cheaper than walking the whole document and testing each key.
  const list: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const k of LIST_FIELDS) {
    const v = fields[k];
    if (v === undefined) continue;
    // List documents are stored as JSON (segment-rows.ts), which has no NaN or Infinity: such a value stays on the body.
    if (typeof v === 'number' && !Number.isFinite(v)) rest[k] = v;
    else list[k] = v;
  }
  list.meta = doc.metadata.map((m) => metaPair(m.k, m.v));
  for (const k in fields) {
    const v = fields[k];
    if (v !== undefined && !NOT_REST.has(k)) rest[k] = v;
  }
  // The list document's pairs give back the metadata, in order, unless a key holds the separator: then it is kept
  // exactly here too (it is ~a third of the BSON encoding of a body otherwise).
  if (doc.metadata.some((m) => m.k.includes('\u001f'))) rest.metadata = doc.metadata;
  const body: BodyDoc = {
    _id: doc._id,
    request_headers: doc.request_headers,
    request_body: doc.request_body,
    response_headers: doc.response_headers,
    response_body: doc.response_body,
    rest,
  };
  return { list: list as unknown as ListDoc, body };
}

/** A body's other fields as a document, whichever form they were stored in. */
export function restOf(body: Partial<BodyDoc> | undefined): Record<string, unknown> {
  const rest = body?.rest;
  return rest instanceof Binary ? BSON.deserialize(rest.buffer) : (rest ?? {});
}

/**
 * The whole stored log. Fields set on the list document win over packed ones (a list document is where
 * later updates go). A missing body (a crash between the two inserts, or a list-only read) reads as empty.
 */
export function joinLogDoc(list: ListDoc, body: Partial<BodyDoc> | undefined): LogDoc {
  const rest = restOf(body) as Partial<LogDoc>;
  const { meta, body_batch: _batch, ...fields } = list;
  return {
    metadata: meta.map((p) => ({ k: metaKeyOf(p), v: p.slice(p.indexOf('\u001f') + 1) })),
    ...rest,
    ...fields,
    organisation_id: rest.organisation_id ?? '',
    request_url: rest.request_url ?? '',
    request_method: rest.request_method ?? '',
    request_headers: body?.request_headers ?? '',
    request_body: body?.request_body ?? '',
    response_headers: body?.response_headers ?? '',
    response_body: body?.response_body ?? '',
  } as LogDoc;
}
