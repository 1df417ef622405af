import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { createApiKeyService } from './domain/auth/api-keys.js';
import { createHealthService } from './domain/health.js';
import { createLogService } from './domain/logs/log-service.js';
import { createTraceService } from './domain/traces/trace-service.js';
import { createExportService } from './domain/exports/export-service.js';
import { createFeedbackService } from './domain/feedback/feedback-service.js';
import { withFeedbackScores } from './domain/feedback/with-feedback-scores.js';
import { createFeedbackRepository } from './storage/mongo/feedback-repository.js';
import { feedbackRoutes } from './transports/rest/feedback.js';
import { analyticsRoutes } from './transports/rest/analytics.js';
import { createAnalyticsService } from './domain/analytics/analytics-service.js';
import { createRollupWriter } from './domain/analytics/rollup-writer.js';
import { withRollups } from './domain/analytics/with-rollups.js';
import { createRollupRepository } from './storage/mongo/rollup-repository.js';
import { isFerretDb } from './storage/mongo/segments/segment-indexes.js';
import { EXPORT_JOB, exportJob } from './jobs/export-job.js';
import { createExportRepository } from './storage/mongo/export-repository.js';
import { createGridFsBlobStore } from './storage/mongo/gridfs-blob-store.js';
import { createRunClaims } from './storage/mongo/run-claims.js';
import { exportRoutes } from './transports/rest/exports.js';
import type { Services } from './domain/services.js';
import { retentionJob } from './jobs/retention-job.js';
import { housekeepingJob } from './jobs/housekeeping-job.js';
import { deleteFinishedJobs } from './storage/mongo/job-cleanup.js';
import { createScheduler, type Scheduler } from './jobs/scheduler.js';
import { resolveSecrets } from './secrets.js';
import { createApiKeyRepository } from './storage/mongo/api-key-repository.js';
import { createIndexBuildTracker, ensureServiceIndexes } from './storage/mongo/collections.js';
import type { IndexBuildTracker } from './storage/mongo/index-builder.js';
import { createLogRepository } from './storage/mongo/log-repository.js';
import { createLogBrowseRepository } from './storage/mongo/log-browse-repository.js';
import { createBrowseService } from './domain/browse/browse-service.js';
import { connectDatabase, type Database } from './storage/mongo/connect.js';
import { withDriverErrors } from './storage/mongo/driver-errors.js';
import { withInsertRetry } from './storage/mongo/retry.js';
import { createGraphQLTransport, type GraphQLTransport } from './transports/graphql/server.js';
import { createIngestAdmission } from './transports/admission.js';
import { beginDrain, createHttpServer } from './transports/http.js';
import { otlpRoutes } from './transports/otlp/routes.js';
import { apiKeyFromHeaders } from './transports/http-body.js';
import { apiKeyRoutes } from './transports/rest/api-keys.js';
import type { RestDeps } from './transports/rest/deps.js';
import { healthRoutes } from './transports/rest/health.js';
import { logRoutes } from './transports/rest/logs.js';
import { createTrpcMount } from './transports/trpc/handler.js';
import { webAppRoutes } from './transports/web/static.js';
import { VERSION } from './version.js';

export interface App {
  services: Services;
  /** Background index builds (state shown by /healthz). */
  indexBuilds: IndexBuildTracker;
  scheduler: Scheduler;
  database: Database;
  /** Set when the role serves HTTP (api or all). */
  server?: Server;
  /** Base URL once listening, e.g. http://127.0.0.1:8787 */
  url?: string;
  listen(): Promise<void>;
  stop(): Promise<void>;
}

/** Ingestion and health paths are never traced (see http.ts); everything else is, when self-tracing is on. */
const UNTRACED_PATHS = new Set(['/v1/traces', '/v1/otel/v1/traces', '/v1/logs', '/healthz']);

export interface AppOptions {
  selfTraced?: boolean;
  /** The database is gone for good (the embedded server could not be restarted); main.ts exits non-zero. */
  onFatal?: (err: Error) => void;
}

/** Wiring only: config -> database -> repositories -> services -> transports. */
export async function createApp(config: Config, logger: Logger, opts: AppOptions = {}): Promise<App> {
  const info = (msg: string) => logger.info(msg);
  const secrets = resolveSecrets(config, info);
  const database = await connectDatabase(config, {
    info,
    error: (detail, msg) => logger.error(detail, msg),
    fatal: (err) => {
      logger.fatal({ err }, 'the embedded database cannot be restarted');
      opts.onFatal?.(err);
    },
  });
  // Every storage object leaves driver errors translated (an unreachable database is a 503 on every path).
  const storage = <T extends object>(s: T) => withDriverErrors(s, database.available);
  let scheduler: Scheduler | undefined;
  let graphql: GraphQLTransport | undefined;
  try {
    // Unique indexes are in place before serving; others build in the background (state in /healthz).
    const indexLog = logger.child({ component: 'indexes' });
    const indexBuilds = createIndexBuildTracker(indexLog);
    await ensureServiceIndexes(database.db, indexBuilds, indexLog);
    const feedbackRepository = storage(createFeedbackRepository(database.db));
    // Logs live in bounded segments (storage/mongo/segments); the browse queries read the same segments.
    const segmentedLogs = createLogRepository(database.db, { segmentDocs: config.LOG_SEGMENT_DOCS, segmentHours: config.LOG_SEGMENT_HOURS });
    // Every log read (lists, exports, traces, analytics fallbacks) sees its trace's weighted feedback.
    // Inserts are retried inside the request (idempotent by id) before a 503 is answered.
    const rollups = storage(createRollupRepository(database.db, { partitioned: await isFerretDb(database.db) }));
    // Inserts also feed the analytics rollups (new logs only, once per batch).
    const logRepository = withFeedbackScores(
      withRollups(withInsertRetry(storage(segmentedLogs), { available: database.available }), createRollupWriter(rollups), rollups),
      feedbackRepository,
    );
    const browseRepository = storage(createLogBrowseRepository(segmentedLogs.store));
    const exportRepository = storage(createExportRepository(database.db));
    const blobs = storage(createGridFsBlobStore(database.db));
    // The scheduler is created before the services that enqueue into it; job handlers are added below.
    scheduler = await createScheduler(database.db, logger, { pollIntervalMs: config.JOBS_POLL_INTERVAL_MS });
    const sched = scheduler;
    const services: Services = {
      apiKeys: createApiKeyService(storage(createApiKeyRepository(database.db)), secrets.rootApiKey),
      health: createHealthService({ ping: database.ping, version: VERSION, role: config.ROLE, indexes: indexBuilds.status }),
      logs: createLogService(logRepository, browseRepository),
      browse: createBrowseService(logRepository, browseRepository),
      traces: createTraceService(logRepository),
      exports: createExportService({
        exports: exportRepository,
        logs: logRepository,
        blobs,
        enqueue: storage({ enqueue: (job: { exportId: string; run: number }) => sched.enqueue(EXPORT_JOB, job) }).enqueue,
        signingSecret: secrets.signingSecret,
        urlTtlSeconds: config.EXPORT_URL_TTL_SECONDS,
      }),
      feedback: createFeedbackService(feedbackRepository),
      analytics: createAnalyticsService({ rollups, logs: logRepository, feedback: feedbackRepository }),
    };
    const claims = storage(createRunClaims(database.db));
    sched.define(exportJob({ exports: exportRepository, logs: logRepository, blobs, claims }));
    if (config.RETENTION_DAYS) sched.define(retentionJob(services.logs, config.RETENTION_DAYS, claims));
    sched.define(housekeepingJob({ deleteFinishedJobs: (before) => deleteFinishedJobs(database.db, before), claims }));
    const serveHttp = config.ROLE !== 'worker';
    let server: Server | undefined;
    if (serveHttp) {
      const deps: RestDeps = {
        services,
        limits: { json: config.MAX_BODY_BYTES, otlp: config.OTLP_MAX_BODY_BYTES },
        ingest: createIngestAdmission({ limit: config.MAX_INFLIGHT_INGEST, perWorkspace: config.MAX_INFLIGHT_INGEST_PER_WORKSPACE }),
        publicUrl: config.PUBLIC_URL,
      };
      graphql = await createGraphQLTransport({
        services,
        production: config.NODE_ENV === 'production',
        bodyLimit: config.MAX_BODY_BYTES,
        publicUrl: config.PUBLIC_URL,
      });
      server = createHttpServer({
        logger,
        authenticate: (req) => services.apiKeys.authenticate(apiKeyFromHeaders(req.headers)),
        requestTimeoutMs: config.REQUEST_TIMEOUT_MS,
        routes: [
          ...healthRoutes(deps),
          ...apiKeyRoutes(deps),
          ...otlpRoutes(deps),
          ...exportRoutes(deps),
          ...logRoutes(deps),
          ...feedbackRoutes(deps),
          ...analyticsRoutes(deps),
          ...webAppRoutes(),
        ],
        mounts: [graphql.mount, createTrpcMount(services, config.MAX_BODY_BYTES, config.PUBLIC_URL)],
        traced: opts.selfTraced ? (path) => !UNTRACED_PATHS.has(path) : undefined,
      });
      graphql.attachWebSocket(server);
    }

    const app: App = {
      services,
      indexBuilds,
      scheduler,
      database,
      server,
      async listen() {
        if (config.ROLE !== 'api') await scheduler!.startWorker();
        if (!server) return;
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(config.PORT, config.HOST, () => resolve());
        });
        const addr = server.address() as AddressInfo;
        const host = config.HOST === '0.0.0.0' || config.HOST === '::' ? '127.0.0.1' : config.HOST;
        app.url = `http://${host}:${addr.port}`;
        logger.info({ url: app.url, role: config.ROLE, version: VERSION }, 'logport listening');
      },
      stop: () => stopApp({ server, graphql, scheduler, database, logs: segmentedLogs, logger, timeoutMs: config.SHUTDOWN_TIMEOUT_MS }),
    };
    return app;
  } catch (err) {
    await graphql?.stop().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw err;
  }
}

/**
 * Graceful shutdown, bounded by timeoutMs: stop accepting, let in-flight HTTP requests finish, close
 * WebSockets, let running jobs finish (or unlock them for another worker), then close the database.
 */
async function stopApp(p: {
  server?: Server;
  graphql?: GraphQLTransport;
  scheduler?: Scheduler;
  database: Database;
  /** Seals this process's open log segments, so the next start finds them complete. */
  logs: { close(): Promise<void> };
  logger: Logger;
  timeoutMs: number;
}): Promise<void> {
  const deadline = Date.now() + p.timeoutMs;
  const remaining = () => Math.max(0, deadline - Date.now());
  if (p.server?.listening) {
    const server = p.server;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Kept-alive connections would otherwise keep bringing requests until the deadline: every response now
    // says `Connection: close`, idle sockets are closed, and in-flight requests finish.
    beginDrain(server);
    // A socket can turn idle between two checks (its response done, its close not yet seen): sweep again.
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    p.logger.debug('http closed to new connections, draining');
    await p.graphql?.stop().catch((err) => p.logger.warn({ err }, 'graphql stop failed'));
    const timer = setTimeout(() => server.closeAllConnections(), remaining());
    await closed;
    clearTimeout(timer);
    clearInterval(sweep);
    p.logger.debug('http drained');
  }
  await p.scheduler?.stop(remaining()).catch((err) => p.logger.warn({ err }, 'job scheduler stop failed'));
  p.logger.debug('jobs stopped');
  await p.logs.close().catch((err) => p.logger.warn({ err }, 'sealing log segments failed'));
  await p.database.close();
  p.logger.info('logport stopped');
}
