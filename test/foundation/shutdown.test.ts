import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { testEnv } from '../helpers/server.js';

/** Starts the real entry point as its own process and resolves with its URL once it listens. */
function startProcess(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH!, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const url = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      const m = /"url":"(http:[^"]+)"/.exec(line);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`exited early with ${code}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, url, exited, lines };
}

describe('graceful shutdown', () => {
  it('on SIGTERM, finishes the request in flight, refuses new ones, and exits 0 in bounded time', async () => {
    const proc = startProcess(testEnv({ SHUTDOWN_TIMEOUT_MS: '5000' }));
    const url = new URL(await proc.url);

    // A request whose body is still arriving when the signal lands.
    const inFlight = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: '/v1/api-keys/workspace/service',
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-portkey-api-key': testEnv().ROOT_API_KEY! },
        },
        (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        },
      );
      req.on('error', reject);
      req.write('{"name":"late",');
      setTimeout(() => {
        proc.child.kill('SIGTERM');
        setTimeout(() => req.end('"scopes":[]}'), 300);
      }, 200);
    });

    const started = Date.now();
    const done = await inFlight;
    expect(done.status).toBe(200);
    expect(JSON.parse(done.body).object).toBe('api-key');

    await expect(fetch(`${url.origin}/healthz`)).rejects.toThrow();
    expect(await proc.exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(7000);
    // Log lines are buffered (logger.ts); whatever was buffered at exit was written.
    const logged = proc.lines.map((l) => JSON.parse(l) as { msg: string; path?: string; status?: number });
    expect(logged.map((l) => l.msg)).toContain('shutting down');
    expect(logged).toContainEqual(expect.objectContaining({ msg: 'request', path: '/v1/api-keys/workspace/service', status: 200 }));
  });

  it('writes a request log line within a second while the service runs on, idle', async () => {
    const proc = startProcess(testEnv());
    try {
      const url = new URL(await proc.url);
      expect((await fetch(`${url.origin}/healthz`)).status).toBe(200);
      const deadline = Date.now() + 1000;
      while (!proc.lines.some((l) => l.includes('"path":"/healthz"')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(proc.lines.some((l) => l.includes('"path":"/healthz"'))).toBe(true);
    } finally {
      proc.child.kill('SIGTERM');
      await proc.exited;
    }
  });
});
