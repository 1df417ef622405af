import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';
import { DomainError } from '../domain/errors.js';
import { parseJsonBytes } from './json-bytes.js';

/** Reads a request body, refusing (413) as soon as it is known to exceed `limit` bytes. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw tooLarge(limit);
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof DomainError) throw err;
    // The client went away, or missed the request deadline (Node has already answered 408 and closed).
    throw new DomainError('BAD_REQUEST', 'The request body was cut off before it was complete');
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size);
}

export function tooLarge(limit: number): DomainError {
  return new DomainError('PAYLOAD_TOO_LARGE', `Request body exceeds the limit of ${limit} bytes`);
}

export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Parses a JSON body; 415 for another content type, 400 for malformed JSON. */
export async function readJson(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = mediaType(req);
  if (type !== 'application/json' && !type.endsWith('+json')) {
    throw new DomainError('UNSUPPORTED_MEDIA_TYPE', `Expected Content-Type application/json, got "${type || 'none'}"`);
  }
  const body = await readBody(req, limit);
  if (body.length === 0) throw new DomainError('BAD_REQUEST', 'Request body is empty');
  const bytes = jsonBytes(body);
  try {
    return parseJsonBytes(bytes);
  } catch (err) {
    throw new DomainError('BAD_REQUEST', `Malformed JSON: ${(err as Error).message}`);
  }
}

/**
 * A JSON body's bytes, checked. Invalid UTF-8 is refused (400): decoding would replace it with U+FFFD and
 * store something the client never sent. A leading byte order mark is skipped (RFC 8259 allows ignoring it).
 */
function jsonBytes(body: Buffer): Buffer {
  if (!isUtf8(body)) throw new DomainError('BAD_REQUEST', 'Request body is not valid UTF-8');
  const bom = body.length >= 3 && body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf;
  return bom ? body.subarray(3) : body;
}

/** A JSON body as text (see jsonBytes). */
export function jsonText(body: Buffer): string {
  return jsonBytes(body).toString('utf8');
}

/** The API key from `x-portkey-api-key` or `Authorization: Bearer`. */
export function apiKeyFromHeaders(headers: IncomingMessage['headers']): string | undefined {
  const direct = headers['x-portkey-api-key'];
  if (typeof direct === 'string' && direct.trim()) return direct.trim();
  return bearerToken(headers.authorization);
}

/** Organisation keys choose a workspace with ?workspace_id= or the x-portkey-workspace-id header. */
export function requestedWorkspace(req: IncomingMessage, query: URLSearchParams): string | undefined {
  const header = req.headers['x-portkey-workspace-id'];
  return query.get('workspace_id') ?? (typeof header === 'string' && header.trim() ? header.trim() : undefined);
}

/** The token of an `Authorization: Bearer <token>` value (HTTP header or WebSocket connectionParams). */
export function bearerToken(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^Bearer\s+(.+)$/i.exec(value.trim());
  return m ? m[1]!.trim() : undefined;
}

/** The origin clients reach us at, for links we hand out: PUBLIC_URL when configured, else the request's Host. */
export function publicOrigin(req: IncomingMessage, configured?: string): string {
  if (configured) return configured.replace(/\/$/, '');
  const proto = req.headers['x-forwarded-proto'] === 'https' ? 'https' : 'http';
  return `${proto}://${req.headers.host ?? 'localhost'}`;
}
