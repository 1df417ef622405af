import { setImmediate as nextTurn } from 'node:timers/promises';

/** Longest a background step waits for interactive reads to finish: under a steady stream of them it still advances. */
const MAX_YIELD_MS = 250;

/**
 * Interactive reads (a page, a log by id, a trace) go before background work in the same process: a count that
 * finishes in the background walks every segment, decoding one after another, and each step it takes while a
 * read waits on the event loop or the database is added to that read (measured at 1M logs: a lookup by id took
 * 22-30 ms while the count of a filtered page ran, 4-5 ms before and after). Background work calls `turn()`
 * between steps; it resolves once no interactive read is in flight.
 */
export class ReadPriority {
  private active = 0;
  private waiting: (() => void)[] = [];

  /** Runs an interactive read; background steps wait while any runs. */
  async interactive<T>(read: () => Promise<T>): Promise<T> {
    this.active++;
    try {
      return await read();
    } finally {
      if (--this.active === 0) for (const go of this.waiting.splice(0)) go();
    }
  }

  /** Resolves when background work may take its next step: no interactive read in flight (or it waited long enough). */
  async turn(): Promise<void> {
    if (this.active === 0) return nextTurn();
    await new Promise<void>((go) => {
      const timer = setTimeout(go, MAX_YIELD_MS);
      this.waiting.push(() => {
        clearTimeout(timer);
        go();
      });
    });
  }
}
