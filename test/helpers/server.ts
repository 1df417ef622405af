import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { inject } from 'vitest';
import { createApp, type App } from '../../src/app.js';
import { parseConfig } from '../../src/config.js';
import { dropWithSegments } from './drop-database.js';

export const ROOT_KEY = 'test-root-key-0123456789abcdef';

export interface TestServer {
  app: App;
  url: string;
  dbName: string;
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** A unique database name per test server, so files never see each other's data. */
export function uniqueDbName(): string {
  return `t_${randomBytes(6).toString('hex')}`;
}

export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    MONGODB_URI: inject('mongoUri'),
    MONGODB_DB: uniqueDbName(),
    DATA_DIR: mkdtempSync(join(tmpdir(), 'logport-data-')),
    ROOT_API_KEY: ROOT_KEY,
    SIGNING_SECRET: 'test-signing-secret-0123456789abcdef0123456789',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    ...overrides,
  };
}

/** Starts the real service in-process on a random port against the shared test database server. */
export async function startTestServer(overrides: Record<string, string> = {}): Promise<TestServer> {
  const env = testEnv(overrides);
  const config = parseConfig(env);
  const app = await createApp(config, pino({ level: config.LOG_LEVEL }));
  await app.listen();
  return {
    app,
    url: app.url!,
    dbName: env.MONGODB_DB!,
    env,
    async stop() {
      await dropWithSegments(app.database.db).catch(() => undefined);
      await app.stop();
    },
  };
}
