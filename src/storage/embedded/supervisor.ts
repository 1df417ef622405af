import { type EmbeddedDatabase, type EmbeddedOptions, startEmbeddedFerret } from './ferretdb.js';

export interface SupervisorEvents {
  /** The server died; requests are answered 503 until it is back. */
  onDown(detail: { code: number | null; signal: string | null; stderr: string }): void;
  onRestarted(detail: { attempt: number; downMs: number }): void;
  /** Every restart failed: the service cannot work any more, and should exit so a process manager restarts it. */
  onGiveUp(err: Error): void;
  /** A restart attempt failed (logged; the next one follows after a backoff). */
  onRestartFailed(detail: { attempt: number; err: Error; nextInMs?: number }): void;
}

export interface SupervisedDatabase {
  uri: string;
  /** Process id of the current server (changes with each restart). */
  pid(): number;
  /** False between the server's death and its successful restart. */
  up(): boolean;
  stop(): Promise<void>;
}

export interface SupervisorOptions {
  /** Delays before each restart attempt; the last entry is the last try before giving up. */
  backoffMs?: number[];
}

/**
 * 0.2 s, then doubling up to 12.8 s: a crash from a transient cause is back in well under a second; with the
 * default 7 attempts a hopeless one gives up after ~25 s.
 */
export function restartBackoff(attempts: number): number[] {
  return Array.from({ length: attempts }, (_, i) => Math.min(200 * 2 ** i, 12_800));
}

const STABLE_AFTER_MS = 30_000;

/**
 * Runs the embedded FerretDB and restarts it when it dies, on the same address, so the driver's connection
 * pool reconnects by itself. A server that cannot be restarted ends in onGiveUp.
 */
export async function superviseEmbeddedFerret(opts: EmbeddedOptions, events: SupervisorEvents, sopts: SupervisorOptions = {}): Promise<SupervisedDatabase> {
  const backoff = sopts.backoffMs ?? restartBackoff(7);
  let current: EmbeddedDatabase = await startEmbeddedFerret(opts);
  const listen = new URL(current.uri.replace(/^mongodb:/, 'http:')).host; // host:port of the first server
  let up = true;
  let stopping = false;
  let restarting: Promise<void> | undefined;
  // A server that dies again soon after a restart continues the backoff instead of starting it over,
  // so a crash loop still ends in onGiveUp.
  let lastAttempt = 0;
  let startedAt = Date.now();

  const watch = (db: EmbeddedDatabase) => {
    void db.exited.then((exit) => {
      if (exit.expected || stopping) return;
      up = false;
      events.onDown({ code: exit.code, signal: exit.signal, stderr: exit.stderr });
      const carried = Date.now() - startedAt < STABLE_AFTER_MS ? lastAttempt : 0;
      restarting = restart(Date.now(), carried);
    });
  };

  const restart = async (downSince: number, carried: number) => {
    if (carried >= backoff.length) {
      events.onGiveUp(new Error(`the embedded database kept crashing (${carried} restarts)`));
      return;
    }
    for (let attempt = carried + 1; attempt <= backoff.length; attempt++) {
      await new Promise((r) => setTimeout(r, backoff[attempt - 1]));
      if (stopping) return;
      try {
        const next = await startEmbeddedFerret({ ...opts, listen });
        if (stopping) {
          await next.stop();
          return;
        }
        current = next;
        up = true;
        lastAttempt = attempt;
        startedAt = Date.now();
        watch(next);
        events.onRestarted({ attempt, downMs: Date.now() - downSince });
        return;
      } catch (err) {
        const e = err instanceof Error ? err : new Error(String(err));
        events.onRestartFailed({ attempt, err: e, nextInMs: backoff[attempt] });
        if (attempt === backoff.length) events.onGiveUp(e);
      }
    }
  };

  watch(current);
  return {
    uri: current.uri,
    pid: () => current.pid,
    up: () => up,
    async stop() {
      stopping = true;
      await restarting;
      await current.stop();
    },
  };
}
