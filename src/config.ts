import { z } from 'zod';

/**
 * The whole environment contract, parsed once at start-up. Every problem is reported at once so an
 * operator fixes a broken deployment in one round trip instead of one variable at a time.
 */
const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === '' ? undefined : v))
  .optional();

const bytes = (fallback: number) =>
  z.coerce
    .number()
    .int()
    .min(1024)
    .max(1024 * 1024 * 1024)
    .default(fallback);

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8787),
  HOST: z.string().default('0.0.0.0'),
  /** Unset: an embedded FerretDB (SQLite, data in DATA_DIR) is started. */
  MONGODB_URI: optionalString.pipe(
    z
      .string()
      .regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://')
      .optional(),
  ),
  /** `majority` (default) or a number of members; the journal is always on. See storage/mongo/durability.ts. */
  MONGODB_WRITE_CONCERN: z
    .string()
    .regex(/^(majority|[1-9]\d?)$/, 'majority or a number of members (1-99)')
    .default('majority'),
  MONGODB_DB: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,63}$/, 'letters, digits, _ and - only')
    .default('logport'),
  DATA_DIR: z.string().min(1).default('./data'),
  /** Restart attempts (0.2 s backoff, doubling) for a dead embedded database before the process exits non-zero. */
  EMBEDDED_DB_RESTARTS: z.coerce.number().int().min(0).max(20).default(7),
  /** Unset: a random key is generated once and kept in DATA_DIR/root-api-key. */
  ROOT_API_KEY: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  /** Unset: a random secret is generated once and kept in DATA_DIR/signing-secret. */
  SIGNING_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ROLE: z.enum(['api', 'worker', 'all']).default('all'),
  MAX_BODY_BYTES: bytes(10 * 1024 * 1024),
  OTLP_MAX_BODY_BYTES: bytes(20 * 1024 * 1024),
  RETENTION_DAYS: optionalString.pipe(
    z.string().regex(/^\d+$/, 'must be a whole number of days').transform(Number).pipe(z.number().int().min(1).max(36500)).optional(),
  ),
  /** Logs per storage segment; unset: 1,000 on the embedded database, 1,000,000 on MongoDB (README: Scaling). */
  LOG_SEGMENT_DOCS: optionalString.pipe(
    z.string().regex(/^\d+$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(1).max(100_000_000)).optional(),
  ),
  /** Hours after which a storage segment is closed even when not full. */
  LOG_SEGMENT_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 366)
    .default(24),
  /** How often workers look for due jobs (a started export waits at most this long to begin). */
  JOBS_POLL_INTERVAL_MS: z.coerce.number().int().min(50).max(60_000).default(2000),
  /** Lifetime of signed export download links. */
  EXPORT_URL_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .max(7 * 86_400)
    .default(3600),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
  /** Logport's own traces go here when set (standard OpenTelemetry variables; off by default). */
  OTEL_EXPORTER_OTLP_ENDPOINT: optionalString.pipe(z.url().optional()),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: optionalString.pipe(z.url().optional()),
  OTEL_SERVICE_NAME: z.string().min(1).default('logport'),
  /** Concurrent ingest requests (REST and OTLP) beyond which clients get 429 with Retry-After. */
  MAX_INFLIGHT_INGEST: z.coerce.number().int().min(1).max(10_000).default(64),
  /** Most of those one workspace may hold (default: three quarters of MAX_INFLIGHT_INGEST), so others keep room. */
  MAX_INFLIGHT_INGEST_PER_WORKSPACE: z.coerce.number().int().min(1).max(10_000).optional(),
  /** Longest time to receive a whole request (headers and body); slower uploads get 408 and are closed. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(30_000),
  /** Where the service is reachable from clients; used to build signed download URLs. */
  PUBLIC_URL: optionalString.pipe(z.url().optional()),
});

export type Config = z.infer<typeof configSchema>;

/** Rules across variables, checked after each variable is valid on its own. */
function crossChecks(c: Config): string[] {
  const problems: string[] = [];
  // Download links must not be built from a client-controlled Host header where it matters.
  if (c.NODE_ENV === 'production' && c.ROLE !== 'worker' && !c.PUBLIC_URL) {
    problems.push(
      'PUBLIC_URL: required when NODE_ENV=production (the base URL clients reach Logport at; download links are built from it, never from the Host header)',
    );
  }
  return problems;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function parseConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  const problems = crossChecks(result.data);
  if (problems.length > 0) throw new ConfigError(problems);
  return result.data;
}
