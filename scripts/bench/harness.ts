import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startEmbeddedFerret, type EmbeddedDatabase } from '../../src/storage/embedded/ferretdb.js';
import { REPO_ROOT } from '../../src/paths.js';

/**
 * Seconds of load before a benchmark measures (BENCH_WARMUP_SECONDS, default 2): connections, caches and the first
 * optimised code. V8 keeps optimising for longer than that: in bench:ingest's 10 s after the default warm-up,
 * TurboFan's background compiles took 13-16% of the server's CPU, 3% after a 20 s warm-up.
 */
export const WARMUP_SECONDS = process.env.BENCH_WARMUP_SECONDS ?? '2';

/** Shared plumbing for benchmarks: a database, a compiled server process, its CPU time, a load process. */
export interface BenchServer {
  url: string;
  key: string;
  dbName: string;
  mongoUri: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * MONGODB_URI when set; else an embedded FerretDB on the local PostgreSQL (127.0.0.1:5432), whose handler
 * pushes filters down (measured 4x faster cursors than SQLite at 30k logs, where SQLite re-scans the table
 * per batch); BENCH_DB=sqlite uses the SQLite handler, Logport's embedded default.
 */
export async function startDatabase(): Promise<{ uri: string; stop(): Promise<void> }> {
  if (process.env.MONGODB_URI) return { uri: process.env.MONGODB_URI, stop: async () => {} };
  if ((process.env.BENCH_DB ?? 'postgresql') === 'postgresql') {
    const name = `logport_bench_${randomBytes(4).toString('hex')}`;
    const psql = (sql: string) => spawnSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-qc', sql], { stdio: 'ignore' });
    if (psql(`CREATE DATABASE ${name}`).status !== 0) throw new Error('could not create a PostgreSQL database on 127.0.0.1:5432');
    const db = await startEmbeddedFerret({ handler: 'postgresql', postgresUrl: `postgres://postgres@127.0.0.1:5432/${name}` });
    return {
      uri: db.uri,
      async stop() {
        await db.stop();
        psql(`DROP DATABASE ${name}`);
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'logport-bench-'));
  const db: EmbeddedDatabase = await startEmbeddedFerret({ handler: 'sqlite', dataDir: dir });
  return {
    uri: db.uri,
    async stop() {
      await db.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function buildServer(): void {
  const r = spawnSync('npm', ['run', 'build', '--silent'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('build failed');
}

export async function startServer(mongoUri: string, extraEnv: Record<string, string> = {}): Promise<BenchServer> {
  const key = `bench-root-${randomBytes(12).toString('hex')}`;
  const dbName = `bench_${randomBytes(4).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'logport-bench-data-'));
  // BENCH_PROFILE=dir writes a V8 CPU profile of the server, for finding the bottleneck.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  // BENCH_NODE_FLAGS='--trace-gc ...' passes V8 flags NODE_OPTIONS refuses (their output goes to BENCH_SERVER_LOG).
  const flags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  // Production mode needs PUBLIC_URL (download links); benchmarks never follow one.
  // The same V8 flags as `npm start`: a larger young generation keeps request objects that wait on the
  // database from being promoted and collected by full GCs. Its size trades memory for CPU (bench:volume at
  // 100,000 logs, peak server RSS and CPU per seeded log: 64 MB semi-spaces 647 MB and 122 us, 16 MB 485 MB
  // and 137 us); 32 MB keeps a million-log store under 1 GB with most of the gain. Young-generation collections
  // run on the main thread alone: V8's parallel scavenge spent ~24 us of helper-thread CPU a log in bench:ingest
  // (its GC trace: 1.1 s of helper time in 10 s of load) to save ~3 us of pause on the main thread, on a machine
  // whose cores the database needs too.
  const child: ChildProcess = spawn(process.execPath, ['--max-semi-space-size=32', '--no-parallel-scavenge', ...profile, ...flags, 'dist/src/main.js'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS ?? '',
      MONGODB_URI: mongoUri,
      MONGODB_DB: dbName,
      ROOT_API_KEY: key,
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATA_DIR: dataDir,
      NODE_ENV: 'production',
      PUBLIC_URL: 'http://127.0.0.1',
      ...extraEnv,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /"url":"(http:[^"]+)"/.exec(line);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  // Keep draining the server's request log so its pipe never fills and blocks it; BENCH_SERVER_LOG=file keeps it
  // (which requests were slow, and when, during a long run).
  if (process.env.BENCH_SERVER_LOG) child.stdout!.pipe(createWriteStream(process.env.BENCH_SERVER_LOG));
  else child.stdout!.resume();
  return {
    url,
    key,
    dbName,
    mongoUri,
    pid: child.pid!,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => {
          rmSync(dataDir, { recursive: true, force: true });
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}

const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/**
 * CPU seconds per thread (main, V8 workers, libuv pool, ...) of a process, from /proc: BENCH_THREADS=1 makes the
 * benchmarks print where the server's CPU went besides the JavaScript a CPU profile shows.
 */
export function threadCpuSeconds(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // the thread ended meanwhile
    }
    // Node 20 leaves its V8 and libuv threads unnamed: each is told apart by its id, the main thread by the pid.
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const name = tid === String(pid) ? 'main' : `${comm}/${tid}`;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    byName.set(name, (byName.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND);
  }
  return byName;
}

/** With BENCH_THREADS set: prints (to stderr) each thread group's CPU between two readings, in us per item. */
export function reportThreads(before: Map<string, number>, after: Map<string, number>, items: number, unit: string): void {
  if (!process.env.BENCH_THREADS) return;
  const rows = [...after].map(([name, s]) => [name, ((s - (before.get(name) ?? 0)) / items) * 1e6] as const).filter(([, us]) => us >= 0.05);
  console.error(
    `server CPU by thread, us per ${unit}: ${rows
      .sort((a, b) => b[1] - a[1])
      .map(([n, us]) => `${n} ${us.toFixed(1)}`)
      .join(', ')}`,
  );
}

/** Runs a load script in its own process and returns the JSON line it prints. */
export function runLoad<T>(script: string, env: Record<string, string>): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!)) : reject(new Error(`load exited ${code}`))));
  });
}
