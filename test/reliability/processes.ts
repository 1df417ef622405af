import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/** A Logport process started from the real entry point (src/main.ts through tsx), as an operator runs it. */
export interface LogportProcess {
  child: ChildProcess;
  /** Base URL once listening (api/all roles). */
  url?: string;
  /** Settles with the exit code when the process ends. */
  exited: Promise<number | null>;
  lines: string[];
}

/** Starts the entry point and resolves once it is ready: listening (api) or running jobs (worker). */
export async function startLogport(env: Record<string, string>): Promise<LogportProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { PATH: process.env.PATH!, ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const proc: LogportProcess = { child, exited, lines };
  const readyLine = env.ROLE === 'worker' ? 'job worker started' : 'logport listening';
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      if (line.includes('logport listening')) proc.url = JSON.parse(line).url;
      if (line.includes(readyLine)) resolve();
    });
    void exited.then((code) => reject(new Error(`logport (${env.ROLE}) exited early with ${code}:\n${lines.slice(-20).join('\n')}`)));
  });
  return proc;
}
