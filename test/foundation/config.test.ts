import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';

describe('configuration', () => {
  it('applies documented defaults', () => {
    const c = parseConfig({});
    expect(c).toMatchObject({ PORT: 8787, DATA_DIR: './data', ROLE: 'all', LOG_LEVEL: 'info', MAX_BODY_BYTES: 10 * 1024 * 1024 });
    expect(c.MONGODB_URI).toBeUndefined();
    expect(c.RETENTION_DAYS).toBeUndefined();
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      parseConfig({ PORT: 'eighty', ROLE: 'boss', MONGODB_URI: 'postgres://x', ROOT_API_KEY: 'short', RETENTION_DAYS: '-3' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'ROLE', 'MONGODB_URI', 'ROOT_API_KEY', 'RETENTION_DAYS']) expect(problems).toContain(name);
  });

  it('the service exits with a readable list when started with bad config', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH, PORT: '99999', ROLE: 'nope', LOG_LEVEL: 'loud' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.status).toBe(78);
    expect(run.stderr).toContain('Invalid configuration');
    expect(run.stderr).toMatch(/PORT:/);
    expect(run.stderr).toMatch(/ROLE:/);
    expect(run.stderr).toMatch(/LOG_LEVEL:/);
  });
});
