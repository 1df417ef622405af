import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../src/paths.js';

/** Debian's Chromium (package `chromium`) and the flags it needs on these machines. */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

const WEB = join(REPO_ROOT, 'web');
const INDEX = join(WEB, 'dist', 'index.html');

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((f) => newestMtime(join(path, f))));
}

/** Builds web/dist when it is missing or older than the app's sources (index.html, src/, public/, the config). */
export function ensureWebBuild(): void {
  const sources = ['index.html', 'src', 'public', 'vite.config.ts'].map((f) => join(WEB, f)).filter(existsSync);
  const stale = !existsSync(INDEX) || Math.max(...sources.map(newestMtime)) > statSync(INDEX).mtimeMs;
  if (!stale) return;
  execSync('npx vite build --config web/vite.config.ts --logLevel warn', { cwd: REPO_ROOT, stdio: 'pipe', timeout: 120_000 });
}
