import { createReadStream, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DomainError } from '../../domain/errors.js';
import { REPO_ROOT } from '../../paths.js';
import type { HttpContext, Route } from '../http.js';

/**
 * Serves the web app's production build (web/dist, made by `npm run build:web`) on the API's own port.
 *
 * Only GET routes are added, after the API's own: `/`, `/assets/:file` (hashed, cached forever) and
 * `/:page`, a single-segment fallback that answers top-level build files (favicon…) or else index.html
 * (the app routes by URL hash, so it never links deeper). API paths keep their own answers: mounts
 * (/graphql, /trpc) are matched before any route, API routes come first in the table, and `/:page`
 * refuses the API's first segments with the usual JSON 404.
 */

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** First path segments that belong to the API: never answered with the app. */
const API_SEGMENTS = new Set(['v1', 'graphql', 'trpc', 'healthz']);

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Vite names built assets `name-<hash>.ext`; only those may be cached forever. */
const HASHED = /-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

// The app loads only its own scripts and styles, and talks only to its own origin (fetch and graphql-ws).
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function webDistDir(): string {
  return join(REPO_ROOT, 'web', 'dist');
}

function notBuilt(): DomainError {
  return new DomainError('NOT_FOUND', 'The web app is not built: run `npm run build:web` (or `npm run build`) and reload');
}

async function fileStat(path: string): Promise<Stats | undefined> {
  try {
    const s = await stat(path);
    return s.isFile() ? s : undefined;
  } catch {
    return undefined;
  }
}

/** A file name straight under `dir`, or undefined for anything that could leave it. */
function inside(dir: string, name: string): string | undefined {
  if (!name || name.startsWith('.') || name.includes('/') || name.includes('\\') || name.includes('\0')) return undefined;
  const path = resolve(dir, name);
  return path.startsWith(dir + sep) ? path : undefined;
}

/** Text types the build precompresses (web/precompress.ts writes `file.br` and `file.gz`). */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.svg', '.json', '.map', '.txt', '.webmanifest']);
const ENCODINGS = [
  { name: 'br', suffix: '.br' },
  { name: 'gzip', suffix: '.gz' },
] as const;

/** Codings the client accepts (q > 0), from Accept-Encoding. */
function acceptedEncodings(header: string | undefined): Set<string> {
  const out = new Set<string>();
  for (const part of (header ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (name && !(q && Number(q.slice(2)) <= 0)) out.add(name);
  }
  return out;
}

/** The precompressed copy to send instead of `path`, if the client takes one and the build made it. */
async function precompressed(ctx: HttpContext, path: string): Promise<{ path: string; st: Stats; encoding: string } | undefined> {
  const accepted = acceptedEncodings(ctx.req.headers['accept-encoding'] as string | undefined);
  for (const e of ENCODINGS) {
    if (!accepted.has(e.name)) continue;
    const st = await fileStat(path + e.suffix);
    if (st) return { path: path + e.suffix, st, encoding: e.name };
  }
  return undefined;
}

async function sendFile(ctx: HttpContext, original: string, originalStat: Stats, cacheControl: string, extra: Record<string, string> = {}): Promise<void> {
  const compressible = COMPRESSIBLE.has(extname(original).toLowerCase());
  const copy = compressible ? await precompressed(ctx, original) : undefined;
  const path = copy?.path ?? original;
  const st = copy?.st ?? originalStat;
  // Each encoding is a different representation, so it gets its own validator.
  const etag = `W/"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}${copy ? `-${copy.encoding}` : ''}"`;
  const headers: Record<string, string | number> = {
    'content-type': CONTENT_TYPES[extname(original).toLowerCase()] ?? 'application/octet-stream',
    ...(compressible && { vary: 'Accept-Encoding' }),
    ...(copy && { 'content-encoding': copy.encoding }),
    'cache-control': cacheControl,
    etag,
    'last-modified': st.mtime.toUTCString(),
    'x-content-type-options': 'nosniff',
    ...extra,
  };
  if (ctx.req.headers['if-none-match'] === etag) {
    ctx.res.writeHead(304, headers);
    ctx.res.end();
    return;
  }
  ctx.res.writeHead(200, { ...headers, 'content-length': st.size });
  await pipeline(createReadStream(path), ctx.res).catch((err: unknown) => {
    ctx.log.warn({ err, path }, 'static file interrupted');
    if (!ctx.res.writableEnded) ctx.res.destroy();
  });
}

async function sendIndex(ctx: HttpContext, dist: string): Promise<void> {
  const index = join(dist, 'index.html');
  const st = await fileStat(index);
  if (!st) throw notBuilt();
  await sendFile(ctx, index, st, 'no-cache', { 'content-security-policy': CSP, 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' });
}

/** GET routes for the web app; add them after the API's routes. `dist` is for tests. */
export function webAppRoutes(dist: string = webDistDir()): Route[] {
  const assets = join(dist, 'assets');
  return [
    { method: 'GET', path: '/', auth: 'none', handler: (ctx) => sendIndex(ctx, dist) },
    {
      method: 'GET',
      path: '/assets/:file',
      auth: 'none',
      async handler(ctx) {
        const path = inside(assets, ctx.params.file!);
        const st = path && !/\.(br|gz)$/.test(path) && (await fileStat(path));
        if (!path || !st) {
          if (!(await fileStat(join(dist, 'index.html')))) throw notBuilt();
          throw new DomainError('NOT_FOUND', `No asset ${ctx.url.pathname}`);
        }
        await sendFile(ctx, path, st, HASHED.test(path) ? IMMUTABLE : 'no-cache');
      },
    },
    {
      method: 'GET',
      path: '/:page',
      auth: 'none',
      async handler(ctx) {
        const page = ctx.params.page!;
        if (API_SEGMENTS.has(page)) throw new DomainError('NOT_FOUND', `No route for GET ${ctx.url.pathname}`);
        const path = inside(dist, page);
        // Precompressed copies are only sent in place of their original, never as files of their own.
        const st = path && page !== 'index.html' && !/\.(br|gz)$/.test(page) && (await fileStat(path));
        if (path && st) return sendFile(ctx, path, st, 'no-cache');
        // A name with an extension is a missing file, not a page of the app.
        if (extname(page) && page !== 'index.html') {
          if (!(await fileStat(join(dist, 'index.html')))) throw notBuilt();
          throw new DomainError('NOT_FOUND', `No file ${ctx.url.pathname}`);
        }
        await sendIndex(ctx, dist);
      },
    },
  ];
}
