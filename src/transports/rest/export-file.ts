import { pipeline } from 'node:stream/promises';
import type { Route, RouteHandler } from '../http.js';
import type { RestDeps } from './deps.js';

/** Parses a single `bytes=a-b` / `bytes=a-` / `bytes=-n` range; undefined for none, null for unsatisfiable. */
function parseRange(header: string | undefined, size: number): { start: number; end: number } | undefined | null {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined; // multi-range or malformed: serve the whole file
  let start: number;
  let end: number;
  if (m[1] === '') {
    start = Math.max(0, size - Number(m[2]));
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  return start > end || start >= size ? null : { start, end };
}

/**
 * The signed download: no API key; the signature, the expiry and the export's current file authorise it.
 * HEAD answers the same status and headers (Range included) without a body, and never opens the file.
 */
export function exportFileRoutes({ services }: RestDeps): Route[] {
  const path = '/v1/logs/exports/:id/file';
  const handler: RouteHandler = async (ctx) => {
    const file = await services.exports.openSignedFile({
      exportId: ctx.params.id!,
      fileId: ctx.query.get('file'),
      expires: ctx.query.get('expires'),
      sig: ctx.query.get('sig'),
    });
    const range = parseRange(ctx.req.headers.range, file.size);
    const headers: Record<string, string | number> = {
      'content-type': file.contentType,
      'content-disposition': `attachment; filename="${file.name}"`,
      'accept-ranges': 'bytes',
      'cache-control': 'private, no-store',
    };
    if (range === null) {
      ctx.res.writeHead(416, { 'content-range': `bytes */${file.size}` });
      ctx.res.end();
      return;
    }
    if (file.size === 0) {
      ctx.res.writeHead(200, { ...headers, 'content-length': 0 });
      ctx.res.end();
      return;
    }
    if (range) {
      ctx.res.writeHead(206, { ...headers, 'content-length': range.end - range.start + 1, 'content-range': `bytes ${range.start}-${range.end}/${file.size}` });
    } else {
      ctx.res.writeHead(200, { ...headers, 'content-length': file.size });
    }
    if (ctx.req.method === 'HEAD') {
      ctx.res.end();
      return;
    }
    const stream = file.open(range);
    // A stream that ends short of Content-Length (a damaged file) must not leave the client waiting.
    const expected = range ? range.end - range.start + 1 : file.size;
    let sent = 0;
    stream.on('data', (chunk: Buffer) => (sent += chunk.length));
    await pipeline(stream, ctx.res).catch((err: unknown) => ctx.log.warn({ err }, 'export download interrupted'));
    if (sent !== expected) {
      ctx.log.error({ exportId: ctx.params.id, sent, expected }, 'export file shorter than recorded');
      ctx.res.destroy();
    }
  };
  return [
    { method: 'GET', path, auth: 'signature', handler },
    { method: 'HEAD', path, auth: 'signature', handler },
  ];
}
