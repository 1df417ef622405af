import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.js';

/**
 * ROOT_API_KEY and SIGNING_SECRET, when not configured, are generated once and kept in DATA_DIR (mode 0600)
 * so `npm start` works with no setup and keys survive restarts. Production deployments should set both.
 */
export function resolveSecrets(config: Pick<Config, 'ROOT_API_KEY' | 'SIGNING_SECRET' | 'DATA_DIR'>, log: (msg: string) => void) {
  return {
    rootApiKey: config.ROOT_API_KEY ?? persisted(config.DATA_DIR, 'root-api-key', () => `lp-root-${randomBytes(24).toString('base64url')}`, log),
    signingSecret: config.SIGNING_SECRET ?? persisted(config.DATA_DIR, 'signing-secret', () => randomBytes(32).toString('hex'), log),
  };
}

function persisted(dir: string, name: string, make: () => string, log: (msg: string) => void): string {
  const file = join(dir, name);
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true });
  const value = make();
  writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
  log(`generated ${name} in ${file} (set ${name.toUpperCase().replace(/-/g, '_')} to choose your own)`);
  return value;
}
