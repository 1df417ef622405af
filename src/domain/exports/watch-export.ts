import type { ExportStatus, LogExport } from './export-model.js';

const TERMINAL: ExportStatus[] = ['success', 'failed', 'stopped'];

/**
 * Live export state by polling the database: the job may run in another process, and change streams are
 * not available everywhere (FerretDB). One poller per export serves every subscriber to it (GraphQL and
 * tRPC alike), runs only while someone listens, and stops at a terminal status. Each subscriber gets the
 * current state, then each change of status, progress or run, and ends at a terminal status, on
 * unsubscribe (`return()`), when its signal aborts, or when its access check fails (a revoked key).
 */
export interface ExportWatchHub {
  subscribe(first: LogExport, opts?: WatchOptions): AsyncGenerator<LogExport, undefined>;
  /** For tests and diagnostics: live pollers and subscribers, and database reads made so far. */
  stats(): { pollers: number; subscribers: number; reads: number };
}

export interface WatchOptions {
  signal?: AbortSignal;
  /**
   * Runs before each state is handed out and every `recheckMs` meanwhile; throwing ends the subscription
   * with that error (a revoked key or lost scope stops the stream, and never sees another state).
   */
  check?: (e: LogExport) => Promise<void>;
}

interface Subscriber {
  deliver(e: LogExport): void;
  end(): void;
}

interface Poller {
  last: LogExport;
  subscribers: Set<Subscriber>;
  timer: NodeJS.Timeout | undefined;
}

const changed = (a: LogExport, b: LogExport) => a.status !== b.status || a.processed !== b.processed || a.run !== b.run;

export function createExportWatchHub(opts: { load: (id: string) => Promise<LogExport | null>; intervalMs?: number; recheckMs?: number }): ExportWatchHub {
  const intervalMs = opts.intervalMs ?? 500;
  const recheckMs = opts.recheckMs ?? 5000;
  const pollers = new Map<string, Poller>();
  let reads = 0;

  function stop(id: string, poller: Poller): void {
    clearTimeout(poller.timer);
    if (pollers.get(id) === poller) pollers.delete(id);
  }

  function schedule(id: string, poller: Poller): void {
    poller.timer = setTimeout(() => void tick(id, poller), intervalMs);
    poller.timer.unref();
  }

  async function tick(id: string, poller: Poller): Promise<void> {
    if (poller.subscribers.size === 0) return stop(id, poller);
    let current: LogExport | null;
    try {
      reads++;
      current = await opts.load(id);
    } catch {
      // A failed read (database briefly down) is retried on the next tick; subscribers keep waiting.
      return schedule(id, poller);
    }
    if (pollers.get(id) !== poller) return; // stopped meanwhile
    if (!current) {
      stop(id, poller);
      for (const s of [...poller.subscribers]) s.end();
      return;
    }
    if (changed(current, poller.last)) for (const s of [...poller.subscribers]) s.deliver(current);
    poller.last = current;
    if (TERMINAL.includes(current.status)) {
      stop(id, poller);
      for (const s of [...poller.subscribers]) s.end();
      return;
    }
    schedule(id, poller);
  }

  function attach(first: LogExport, sub: Subscriber): () => void {
    let poller = pollers.get(first.id);
    if (!poller) {
      poller = { last: first, subscribers: new Set(), timer: undefined };
      pollers.set(first.id, poller);
      schedule(first.id, poller);
    }
    const p = poller;
    p.subscribers.add(sub);
    return () => {
      p.subscribers.delete(sub);
      if (p.subscribers.size === 0) stop(first.id, p);
    };
  }

  return {
    stats: () => ({ pollers: pollers.size, subscribers: [...pollers.values()].reduce((n, p) => n + p.subscribers.size, 0), reads }),

    subscribe(first, { signal, check } = {}) {
      // A queue of states not yet taken by the consumer; only the newest matters, older ones are skipped.
      let pending: LogExport | undefined = first;
      let ended = false;
      let failure: unknown;
      let wake: (() => void) | undefined;
      let detach = () => {};
      let recheck: NodeJS.Timeout | undefined;

      /** Stops listening; with `err`, the consumer's next read throws it (after which the stream is done). */
      const finish = (err?: unknown) => {
        if (err !== undefined) failure ??= err;
        ended = true;
        detach();
        clearInterval(recheck);
        signal?.removeEventListener('abort', onAbort);
        wake?.();
      };
      const onAbort = () => finish();
      // A final state (terminal, or the export deleted) is still handed out; the stream ends once it is taken.
      const sub: Subscriber = {
        deliver: (e) => {
          pending = e;
          wake?.();
        },
        end: () => finish(),
      };

      // Already final (or nobody listening): hand out the current state, then end.
      if (signal?.aborted || TERMINAL.includes(first.status)) ended = true;
      else {
        detach = attach(first, sub);
        signal?.addEventListener('abort', onAbort, { once: true });
        if (check) {
          recheck = setInterval(() => check(pending ?? first).catch((err: unknown) => finish(err)), recheckMs);
          recheck.unref();
        }
      }

      const iterator: AsyncGenerator<LogExport, undefined> = {
        async next() {
          for (;;) {
            if (failure !== undefined) {
              const err = failure;
              failure = undefined;
              pending = undefined;
              ended = true;
              throw err;
            }
            if (pending) {
              const e = pending;
              pending = undefined;
              if (check) {
                try {
                  await check(e);
                } catch (err) {
                  finish(err);
                  continue;
                }
              }
              return { value: e, done: false };
            }
            if (ended) return { value: undefined, done: true };
            await new Promise<void>((resolve) => (wake = resolve));
            wake = undefined;
          }
        },
        async return() {
          pending = undefined;
          failure = undefined;
          finish();
          return { value: undefined, done: true };
        },
        async throw(err) {
          pending = undefined;
          finish();
          throw err;
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      };
      return iterator;
    },
  };
}

/** Share of rows written, 0..1, never decreasing within a run (processed only grows; total is fixed until success). */
export function exportProgress(e: Pick<LogExport, 'status' | 'processed' | 'total'>): number {
  if (e.status === 'success') return 1;
  if (e.status === 'draft' || e.total <= 0) return 0;
  return Math.min(1, e.processed / e.total);
}
