import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from '../../paths.js';

/**
 * The embedded database: FerretDB 1.24 (a MongoDB wire-protocol server) built from its Go module by the
 * launcher in scripts/ferretdb. The binary is built once per launcher source and cached under .cache/.
 */
const launcherDir = join(REPO_ROOT, 'scripts', 'ferretdb');

export class EmbeddedDatabaseError extends Error {}

/** Returns the cached launcher binary, building it first when its sources changed. */
export function ensureFerretBinary(log: (msg: string) => void = () => {}): string {
  const hash = createHash('sha256');
  const sources = readdirSync(launcherDir)
    .filter((f) => f.endsWith('.go') || f === 'go.mod' || f === 'go.sum')
    .sort();
  for (const f of sources) hash.update(f).update(readFileSync(join(launcherDir, f)));
  const binary = join(REPO_ROOT, '.cache', 'ferretdb', hash.digest('hex').slice(0, 16), 'ferretdb-launcher');
  if (existsSync(binary)) return binary;

  const go = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (go.error || go.status !== 0) {
    throw new EmbeddedDatabaseError(
      'The embedded database needs Go (>= 1.22) to build FerretDB, and `go` was not found. ' +
        'Install Go, or set MONGODB_URI to use an existing MongoDB server.',
    );
  }
  log('building the embedded FerretDB server (first start only, about two minutes)');
  mkdirSync(dirname(binary), { recursive: true });
  const tmp = `${binary}.${process.pid}.tmp`;
  const build = spawnSync('go', ['build', '-trimpath', '-o', tmp, '.'], {
    cwd: launcherDir,
    env: { ...process.env, GOTOOLCHAIN: 'local', CGO_ENABLED: '0', GOFLAGS: '-mod=mod' },
    encoding: 'utf8',
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  if (build.status !== 0) {
    throw new EmbeddedDatabaseError(`Building FerretDB failed:\n${build.stderr}\nSet MONGODB_URI to use an existing MongoDB server.`);
  }
  renameSync(tmp, binary); // atomic: concurrent starters never run a half-written binary
  return binary;
}

export interface EmbeddedDatabase {
  uri: string;
  /** The server's process id (fault tests kill it). */
  pid: number;
  /** Settles when the server process exits, for whatever reason; `expected` when stop() asked for it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; expected: boolean; stderr: string }>;
  stop(): Promise<void>;
}

interface CommonOptions {
  log?: (msg: string) => void;
  /** host:port to listen on; default a free port on 127.0.0.1 (a restart reuses the first one). */
  listen?: string;
}

export type EmbeddedOptions = ({ handler: 'sqlite'; dataDir: string } & CommonOptions) | ({ handler: 'postgresql'; postgresUrl: string } & CommonOptions);

export async function startEmbeddedFerret(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const binary = ensureFerretBinary(opts.log);
  const args = ['-handler', opts.handler];
  if (opts.handler === 'sqlite') {
    const dir = resolve(opts.dataDir, 'ferretdb');
    mkdirSync(dir, { recursive: true });
    args.push('-sqlite-dir', `${dir}/`);
  } else {
    args.push('-postgresql-url', opts.postgresUrl);
  }
  if (opts.listen) args.push('-listen', opts.listen);
  // stdin is a pipe we never write to: when this process dies, the launcher sees EOF and exits too.
  const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });

  const uri = await new Promise<string>((resolveUri, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const onExit = (code: number | null) => reject(new EmbeddedDatabaseError(`FerretDB exited (${code}) before it was ready:\n${stderr}`));
    child.once('exit', onExit);
    child.once('error', reject);
    lines.on('line', (line) => {
      if (line.startsWith('READY ')) {
        child.off('exit', onExit);
        resolveUri(line.slice('READY '.length).trim());
      }
    });
  });
  let stopping = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; expected: boolean; stderr: string }>((done) => {
    child.once('exit', (code, signal) => done({ code, signal, expected: stopping, stderr }));
  });
  return {
    uri,
    pid: child.pid!,
    exited,
    stop: () => {
      stopping = true;
      return stopChild(child);
    },
  };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      done();
    });
    child.kill('SIGTERM');
  });
}
