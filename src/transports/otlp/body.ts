import type { IncomingMessage } from 'node:http';
import { createGunzip, createInflate } from 'node:zlib';
import { DomainError } from '../../domain/errors.js';
import { tooLarge } from '../http-body.js';

/**
 * Reads an OTLP body, inflating gzip/deflate as it streams. The size cap applies to the inflated bytes,
 * so a small compressed bomb is refused (413) without ever being held in memory whole.
 */
export async function readOtlpBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  let source: AsyncIterable<Buffer>;
  if (encoding === 'identity' || encoding === '') {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) throw tooLarge(limit);
    source = req;
  } else if (encoding === 'gzip' || encoding === 'x-gzip' || encoding === 'deflate') {
    const inflater = encoding === 'deflate' ? createInflate() : createGunzip();
    req.pipe(inflater);
    req.on('error', (err) => inflater.destroy(err));
    source = inflater;
  } else {
    throw new DomainError('UNSUPPORTED_MEDIA_TYPE', `Unsupported Content-Encoding "${encoding}"; use gzip, deflate or none`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source) {
      size += chunk.length;
      if (size > limit) throw tooLarge(limit);
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new DomainError('BAD_REQUEST', `Could not decompress the ${encoding} body: ${(err as Error).message}`);
  } finally {
    if (source !== req) (source as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
  }
  return Buffer.concat(chunks, size);
}
