import type { LogDoc } from '../log-document.js';

/**
 * A log is stored as two documents with the same _id: the list document (every field a filter, a sort or a
 * list reads) and the body document (headers and bodies, most of the bytes). Scans read list documents only;
 * bodies are fetched by exact _id, the one lookup FerretDB serves without decoding the collection, and only for
 * the rows a page, a trace or an export returns.
 */
export type ListDoc = Omit<LogDoc, BodyField>;
export type BodyDoc = Pick<LogDoc, '_id' | BodyField>;

const BODY_FIELDS = ['request_headers', 'request_body', 'response_headers', 'response_body'] as const;
type BodyField = (typeof BODY_FIELDS)[number];

export function splitLogDoc(doc: LogDoc): { list: ListDoc; body: BodyDoc } {
  const { request_headers, request_body, response_headers, response_body, ...list } = doc;
  return { list, body: { _id: doc._id, request_headers, request_body, response_headers, response_body } };
}

/** The whole stored log; a missing body (written by a crashed insert, or never) reads as empty. */
export function joinLogDoc(list: ListDoc, body: Partial<BodyDoc> | undefined): LogDoc {
  return { ...list, request_headers: body?.request_headers ?? '', request_body: body?.request_body ?? '', response_headers: body?.response_headers ?? '', response_body: body?.response_body ?? '' };
}
