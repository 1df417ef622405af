import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { suppressTracing } from '@opentelemetry/core';
import type { Logger } from 'pino';
import { tracer } from '../telemetry.js';
import type { Actor } from '../domain/auth/actor.js';
import { DomainError, ERROR_TABLE } from '../domain/errors.js';
import { requestedWorkspace } from './http-body.js';

/**
 * The single HTTP server: a small route table for REST/OTLP/health, plus mounts for GraphQL and tRPC.
 * This file also holds the one HTTP error translator.
 */
export interface HttpContext {
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  url: URL;
  requestId: string;
  log: Logger;
}

/** A request whose API key was checked before its handler ran. */
export interface AuthedContext extends HttpContext {
  actor: Actor;
  /** The workspace an organisation key asked for (`?workspace_id=` or `x-portkey-workspace-id`), if any. */
  workspaceId: string | undefined;
}

export type RouteHandler = (ctx: HttpContext) => Promise<void>;

/**
 * Every route declares how it is authorised: `key` routes get an authenticated actor before the handler
 * runs (401 otherwise); `signature` routes check a signed URL themselves; `none` routes are public.
 */
export type Route = { method: string; path: string } & (
  | { auth: 'key'; handler: (ctx: AuthedContext) => Promise<void> }
  | { auth: 'signature' | 'none'; handler: RouteHandler }
);
/** A mount owns every path under its prefix (GraphQL, tRPC). */
export interface Mount {
  prefix: string;
  handler: RouteHandler;
}

type CompiledRoute = Route & {
  regex: RegExp;
  names: string[];
};

function compile(route: Route): CompiledRoute {
  const names: string[] = [];
  const pattern = route.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:([A-Za-z_-]+)/g, (_, n: string) => {
    names.push(n);
    return '([^/]+)';
  });
  return { ...route, regex: new RegExp(`^${pattern}/?$`), names };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(payload), ...headers });
  res.end(payload);
}

/** The one place an error becomes an HTTP response. Unknown errors are logged and hidden. */
export function sendError(ctx: Pick<HttpContext, 'res' | 'log' | 'requestId'>, err: unknown): void {
  const { res, log } = ctx;
  const domain = err instanceof DomainError ? err : undefined;
  if (!domain) log.error({ err }, 'unhandled error');
  const code = domain?.code ?? 'INTERNAL';
  const status = ERROR_TABLE[code].http;
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const headers: Record<string, string> = {};
  if (domain?.retryAfterSeconds !== undefined) headers['retry-after'] = String(domain.retryAfterSeconds);
  // After a refused upload the rest of the body is unread: close rather than parse it as the next request.
  if (status === 413) headers.connection = 'close';
  sendJson(
    res,
    status,
    {
      error: {
        code,
        message: domain ? domain.message : 'Internal server error',
        ...(domain?.details && { details: domain.details }),
        request_id: ctx.requestId,
      },
    },
    headers,
  );
}

/** Servers that are shutting down, with the responses they have not finished yet. */
const inFlightByServer = new WeakMap<Server, Set<ServerResponse>>();
const draining = new WeakSet<Server>();

/**
 * Starts a graceful drain (the caller has already stopped accepting with server.close()): every response
 * from now on, and every one still being prepared, carries `Connection: close`, so each kept-alive
 * connection closes after its current request instead of taking more; idle connections are closed now.
 * In-flight requests are left to finish.
 */
export function beginDrain(server: Server): void {
  draining.add(server);
  for (const res of inFlightByServer.get(server) ?? []) if (!res.headersSent) res.setHeader('connection', 'close');
  server.closeIdleConnections();
}

export function createHttpServer(opts: {
  routes: Route[];
  mounts: Mount[];
  logger: Logger;
  /** Resolves the API key a request carries into an actor; throws UNAUTHENTICATED. */
  authenticate(req: IncomingMessage): Promise<Actor>;
  /** Paths whose requests get a server span when self-tracing is on. Ingestion paths say no: tracing
   * them while exporting to ourselves would loop. */
  traced?: (path: string) => boolean;
  /** Longest time to receive a whole request, body included (Node answers 408 and closes); default 30 s. */
  requestTimeoutMs?: number;
}): Server {
  const requestTimeout = opts.requestTimeoutMs ?? 30_000;
  const routes = opts.routes.map(compile);
  const inFlight = new Set<ServerResponse>();
  // Stalled or trickling uploads are cut off at the deadline: Node checks every second (its default, 30 s,
  // would let a deadline overrun by that much) and answers 408 itself, closing the connection.
  const server = createServer({ requestTimeout, headersTimeout: Math.min(66_000, requestTimeout), connectionsCheckingInterval: 1000 }, (req, res) => {
    const started = process.hrtime.bigint();
    inFlight.add(res);
    res.once('close', () => inFlight.delete(res));
    if (draining.has(server)) res.setHeader('connection', 'close');
    const header = req.headers['x-request-id'];
    const requestId = typeof header === 'string' && /^[\w.:-]{1,128}$/.test(header) ? header : randomUUID();
    res.setHeader('x-request-id', requestId);
    const url = new URL(req.url ?? '/', 'http://localhost');
    const log = opts.logger.child({ reqId: requestId });
    const ctx: HttpContext = { req, res, params: {}, query: url.searchParams, url, requestId, log };
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log.info({ method: req.method, path: url.pathname, status: res.statusCode, ms: Math.round(ms * 10) / 10 }, 'request');
    });
    if (opts.traced && !opts.traced(url.pathname)) {
      // Nothing below an untraced request may start a span either (e.g. its database writes): when the
      // service exports its traces to itself, those spans would be ingested, traced, exported… forever.
      context.with(suppressTracing(context.active()), () => dispatch(ctx).catch((err) => sendError(ctx, err)));
      return;
    }
    if (opts.traced) {
      const span = tracer().startSpan(`${req.method} ${url.pathname}`, {
        kind: SpanKind.SERVER,
        attributes: { 'http.request.method': req.method ?? '', 'url.path': url.pathname, 'logport.request_id': requestId },
      });
      res.on('finish', () => {
        span.setAttribute('http.response.status_code', res.statusCode);
        if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      });
      context.with(trace.setSpan(context.active(), span), () => dispatch(ctx).catch((err) => sendError(ctx, err)));
      return;
    }
    dispatch(ctx).catch((err) => sendError(ctx, err));
  });

  async function dispatch(ctx: HttpContext): Promise<void> {
    const path = ctx.url.pathname;
    const mount = opts.mounts.find((m) => path === m.prefix || path.startsWith(`${m.prefix}/`));
    if (mount) return mount.handler(ctx);
    let pathMatched = false;
    for (const route of routes) {
      const m = route.regex.exec(path);
      if (!m) continue;
      pathMatched = true;
      if (route.method !== ctx.req.method) continue;
      try {
        route.names.forEach((n, i) => (ctx.params[n] = decodeURIComponent(m[i + 1]!)));
      } catch {
        throw new DomainError('BAD_REQUEST', `Malformed percent-encoding in ${path}`);
      }
      // Name self-traced spans by route, not by raw path, so ids do not explode span-name cardinality.
      trace.getActiveSpan()?.updateName(`${route.method} ${route.path}`);
      if (route.auth !== 'key') return route.handler(ctx);
      const actor = await opts.authenticate(ctx.req);
      return route.handler({ ...ctx, actor, workspaceId: requestedWorkspace(ctx.req, ctx.query) });
    }
    throw pathMatched
      ? new DomainError('METHOD_NOT_ALLOWED', `Method ${ctx.req.method} is not allowed on ${path}`)
      : new DomainError('NOT_FOUND', `No route for ${ctx.req.method} ${path}`);
  }

  inFlightByServer.set(server, inFlight);
  // Slow or idle clients must not hold sockets forever; keep-alive stays longer than typical LB idle timeouts.
  server.keepAliveTimeout = 65_000;
  return server;
}
