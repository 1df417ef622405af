import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_EXPORT_FIELDS, EXPORT_FIELD_NAMES } from '../../src/domain/exports/export-fields.js';
import { createHttpServer, sendJson } from '../../src/transports/http.js';
import { DomainError } from '../../src/domain/errors.js';
import { webAppRoutes } from '../../src/transports/web/static.js';
import { DEFAULT_EXPORT_FIELDS as WEB_DEFAULTS, EXPORT_FIELD_NAMES as WEB_FIELDS } from '../../web/src/export-fields.js';

/** The static file server on its own (a fake build in a temporary directory), behind the real dispatcher. */

async function serve(dist: string): Promise<{ server: Server; url: string }> {
  const server = createHttpServer({
    logger: pino({ level: 'silent' }),
    authenticate: async () => {
      throw new DomainError('UNAUTHENTICATED', 'no keys in this test');
    },
    routes: [
      { method: 'GET', path: '/healthz', auth: 'none', handler: async (ctx) => sendJson(ctx.res, 200, { status: 'ok' }) },
      { method: 'POST', path: '/v1/traces', auth: 'none', handler: async (ctx) => sendJson(ctx.res, 200, {}) },
      ...webAppRoutes(dist),
    ],
    mounts: [{ prefix: '/graphql', handler: async (ctx) => sendJson(ctx.res, 200, { graphql: true }) }],
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

interface ApiError {
  error: { code: string; message: string };
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe('web app static files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'logport-web-'));
  const dist = join(dir, 'dist');
  let built: { server: Server; url: string };
  let missing: { server: Server; url: string };
  const INDEX = '<!doctype html><title>Logport</title><script type="module" src="/assets/index-AbC123xy.js"></script>';

  beforeAll(async () => {
    mkdirSync(join(dist, 'assets'), { recursive: true });
    writeFileSync(join(dist, 'index.html'), INDEX);
    writeFileSync(join(dist, 'assets', 'index-AbC123xy.js'), 'console.log(1)');
    writeFileSync(join(dist, 'assets', 'index-Zz9_8-7q.css'), 'body{}');
    writeFileSync(join(dist, 'assets', 'plain.txt'), 'not hashed');
    // What web/precompress.ts writes next to the build: brotli for the script, gzip only for the styles.
    writeFileSync(join(dist, 'assets', 'index-AbC123xy.js.br'), brotliCompressSync('console.log(1)'));
    writeFileSync(join(dist, 'assets', 'index-AbC123xy.js.gz'), gzipSync('console.log(1)'));
    writeFileSync(join(dist, 'assets', 'index-Zz9_8-7q.css.gz'), gzipSync('body{}'));
    writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    writeFileSync(join(dir, 'secret.txt'), 'outside the build');
    built = await serve(dist);
    missing = await serve(join(dir, 'nothing-here'));
  });
  afterAll(async () => {
    await close(built.server);
    await close(missing.server);
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / with no-cache and a content security policy', async () => {
    const res = await fetch(`${built.url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await res.text()).toBe(INDEX);
    // Revalidation answers 304 without a body.
    const again = await fetch(`${built.url}/`, { headers: { 'if-none-match': res.headers.get('etag')! } });
    expect(again.status).toBe(304);
  });

  it('serves hashed assets as immutable, with their content types', async () => {
    const js = await fetch(`${built.url}/assets/index-AbC123xy.js`);
    expect([js.status, js.headers.get('content-type'), js.headers.get('cache-control')]).toEqual([
      200,
      'text/javascript; charset=utf-8',
      'public, max-age=31536000, immutable',
    ]);
    expect(await js.text()).toBe('console.log(1)');
    const css = await fetch(`${built.url}/assets/index-Zz9_8-7q.css`);
    expect([css.headers.get('content-type'), css.headers.get('cache-control')]).toEqual(['text/css; charset=utf-8', 'public, max-age=31536000, immutable']);
    const plain = await fetch(`${built.url}/assets/plain.txt`);
    expect(plain.headers.get('cache-control')).toBe('no-cache');
    const svg = await fetch(`${built.url}/favicon.svg`);
    expect([svg.status, svg.headers.get('content-type')]).toEqual([200, 'image/svg+xml']);
  });

  it('falls back to index.html for unknown page paths, never for the API or missing files', async () => {
    for (const path of ['/exports', '/logs/', '/index.html']) {
      const res = await fetch(`${built.url}${path}`);
      expect([path, res.status, res.headers.get('cache-control')]).toEqual([path, 200, 'no-cache']);
      expect(await res.text()).toBe(INDEX);
    }
    for (const path of ['/v1', '/trpc', '/assets/missing-AbC123xy.js', '/robots.txt', '/v1/nothing']) {
      const res = await fetch(`${built.url}${path}`);
      expect([path, res.status, ((await res.json()) as ApiError).error.code]).toEqual([path, 404, 'NOT_FOUND']);
    }
    // API answers are unchanged: mounts and routes first, wrong methods still 405.
    expect(await (await fetch(`${built.url}/graphql`)).json()).toEqual({ graphql: true });
    expect((await fetch(`${built.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${built.url}/healthz`, { method: 'PATCH' })).status).toBe(405);
    expect((await fetch(`${built.url}/v1/traces`)).status).toBe(405);
  });

  /** fetch() decodes bodies itself; a raw request shows what was on the wire. */
  const raw = (path: string, acceptEncoding?: string) =>
    new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
      const req = request(`${built.url}${path}`, { headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    });

  it('sends the precompressed copy the client accepts, with Content-Encoding and Vary', async () => {
    const br = await raw('/assets/index-AbC123xy.js', 'gzip, deflate, br');
    expect([br.headers['content-encoding'], br.headers.vary, br.headers['content-type']]).toEqual(['br', 'Accept-Encoding', 'text/javascript; charset=utf-8']);
    expect(brotliDecompressSync(br.body).toString()).toBe('console.log(1)');
    const gz = await raw('/assets/index-AbC123xy.js', 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe('console.log(1)');
    expect(gz.headers.etag).not.toBe(br.headers.etag);
    for (const accept of [undefined, 'identity', 'br;q=0, gzip;q=0']) {
      const plain = await raw('/assets/index-AbC123xy.js', accept);
      expect([accept, plain.headers['content-encoding'], plain.headers.vary, plain.body.toString()]).toEqual([
        accept,
        undefined,
        'Accept-Encoding',
        'console.log(1)',
      ]);
    }
    const css = await raw('/assets/index-Zz9_8-7q.css', 'br, gzip');
    expect([css.headers['content-encoding'], gunzipSync(css.body).toString()]).toEqual(['gzip', 'body{}']);
    // The copies are never files of their own.
    expect((await fetch(`${built.url}/assets/index-AbC123xy.js.br`)).status).toBe(404);
  });

  it('never serves files outside the build', async () => {
    for (const path of ['/assets/..%2F..%2Fsecret.txt', '/..%2Fsecret.txt', '/%2E%2E%2Fsecret.txt', '/assets/%2e%2e', '/.env']) {
      const res = await fetch(`${built.url}${path}`);
      const body = await res.text();
      expect(body).not.toContain('outside the build');
      expect([path, res.status === 404 || body === INDEX]).toEqual([path, true]);
    }
  });

  it('answers a JSON 404 naming the build command when the build is missing', async () => {
    for (const path of ['/', '/exports', '/assets/index-AbC123xy.js']) {
      const res = await fetch(`${missing.url}${path}`);
      expect(res.status).toBe(404);
      const body = (await res.json()) as ApiError;
      expect(body.error.code).toBe('NOT_FOUND');
      expect(body.error.message).toContain('npm run build:web');
    }
  });
});

describe('web app export fields', () => {
  it('the web app lists exactly the server’s export fields and defaults', () => {
    expect([...WEB_FIELDS].sort()).toEqual([...EXPORT_FIELD_NAMES].sort());
    expect(WEB_DEFAULTS).toEqual(DEFAULT_EXPORT_FIELDS);
  });
});
