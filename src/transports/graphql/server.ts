import { readdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Services } from '../../domain/services.js';
import { REPO_ROOT } from '../../paths.js';
import { apiKeyFromHeaders, bearerToken, jsonText, publicOrigin, readBody } from '../http-body.js';
import type { Mount } from '../http.js';
import { createContext, type GraphQLContext } from './context.js';
import { formatError, retryableStatusPlugin } from './format-error.js';
import { exportResolvers } from './resolvers/exports.js';
import { feedbackResolvers } from './resolvers/feedback.js';
import { analyticsResolvers } from './resolvers/analytics.js';
import { logResolvers } from './resolvers/logs.js';
import { viewerResolvers } from './resolvers/viewer.js';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { browseResolvers } from './resolvers/browse.js';
import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { type GraphQLError, specifiedRules, validate, type ValidationContext, type ValidationRule } from 'graphql';

export function loadSchema(): GraphQLSchema {
  const dir = join(REPO_ROOT, 'schema');
  const typeDefs = readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort()
    .map((f) => readFileSync(join(dir, f), 'utf8'));
  return makeExecutableSchema({
    typeDefs,
    resolvers: [
      { DateTime: DateTimeResolver, JSON: JSONResolver },
      viewerResolvers,
      logResolvers,
      exportResolvers,
      browseResolvers,
      feedbackResolvers,
      analyticsResolvers,
    ],
  });
}

/** Limits against abusive queries (deep trace walks, alias floods, huge selections), on HTTP and WebSocket alike. */
// Report (not throw) a breach, so clients get a validation error naming the limit instead of a 500.
const report = { propagateOnRejection: false, onReject: [(ctx: ValidationContext | null, err: GraphQLError) => ctx?.reportError(err)] };
export const protectionRules: ValidationRule[] = [
  maxDepthRule({ n: 12, ...report }) as unknown as ValidationRule,
  costLimitRule({ maxCost: 20_000, ...report }) as unknown as ValidationRule,
  maxAliasesRule({ n: 30, ...report }) as unknown as ValidationRule,
];

export interface GraphQLTransport {
  mount: Mount;
  /** Serves graphql-ws on the same port and path. */
  attachWebSocket(server: Server): void;
  stop(): Promise<void>;
}

export async function createGraphQLTransport(opts: {
  services: Services;
  production: boolean;
  bodyLimit: number;
  publicUrl?: string;
}): Promise<GraphQLTransport> {
  const schema = loadSchema();
  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    formatError,
    includeStacktraceInErrorResponses: false,
    // Shutdown is ordered by app.ts; Apollo must not race it with its own signal handlers.
    stopOnTerminationSignals: false,
    validationRules: protectionRules,
    plugins: [retryableStatusPlugin, ...(opts.production ? [ApolloServerPluginLandingPageDisabled()] : [])],
  });
  await apollo.start();
  let wsCleanup: { dispose(): void | Promise<void> } | undefined;
  let wss: WebSocketServer | undefined;

  const mount: Mount = {
    prefix: '/graphql',
    async handler(ctx) {
      const headers = new HeaderMap();
      for (const [k, v] of Object.entries(ctx.req.headers)) {
        if (v !== undefined) headers.set(k, Array.isArray(v) ? v.join(', ') : v);
      }
      let body: unknown;
      if (ctx.req.method === 'POST') {
        const raw = await readBody(ctx.req, opts.bodyLimit);
        // Apollo answers a 400 itself for bodies that are not JSON objects; pass the text through for it.
        const text = raw.length ? jsonText(raw) : undefined;
        try {
          body = text === undefined ? undefined : JSON.parse(text);
        } catch {
          body = text;
        }
      }
      const result = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: ctx.req.method ?? 'GET', headers, search: ctx.url.search, body },
        context: async () => createContext(opts.services, apiKeyFromHeaders(ctx.req.headers), publicOrigin(ctx.req, opts.publicUrl)),
      });
      for (const [k, v] of result.headers) ctx.res.setHeader(k, v);
      ctx.res.statusCode = result.status ?? 200;
      if (result.body.kind === 'complete') {
        ctx.res.end(result.body.string);
      } else {
        for await (const chunk of result.body.asyncIterator) ctx.res.write(chunk);
        ctx.res.end();
      }
    },
  };

  return {
    mount,
    attachWebSocket(server) {
      wss = new WebSocketServer({ server, path: '/graphql', maxPayload: 1024 * 1024 });
      // Apollo's context and plugins do not run for WebSocket operations: authentication happens here.
      wsCleanup = useServer(
        {
          schema,
          validate: (s, document) => validate(s, document, [...specifiedRules, ...protectionRules]),
          context: (wsCtx) => {
            const p = (wsCtx.connectionParams ?? {}) as Record<string, unknown>;
            const key = p.apiKey ?? p['x-portkey-api-key'] ?? bearerToken(p.authorization ?? p.Authorization);
            return createContext(opts.services, typeof key === 'string' ? key : undefined, publicOrigin(wsCtx.extra.request, opts.publicUrl));
          },
          // Execution errors reach clients through onNext: translate them exactly as over HTTP.
          onNext: (_ctx, _id, _payload, _args, result) =>
            'errors' in result && result.errors ? { ...result, errors: result.errors.map((e) => formatError(e.toJSON(), e)) as never } : result,
        },
        wss,
      );
    },
    async stop() {
      await wsCleanup?.dispose();
      wss?.close();
      await apollo.stop();
    },
  };
}
