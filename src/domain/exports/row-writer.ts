import { finished, pipeline } from 'node:stream/promises';
import { createGzip, type ZlibOptions } from 'node:zlib';
import type { ExportField, ExportRow } from './export-fields.js';

export type ExportFormat = 'jsonl' | 'csv';

export interface RowEncoder {
  /** '' for JSONL; the CSV header line (with its line break) for CSV. */
  header(): string;
  /** One complete line, line break included. */
  encode(row: ExportRow): string;
}

const CSV_SPECIAL = /[",\r\n]/;
const QUOTES = /"/g;

/** Spreadsheets run a cell starting with one of these as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** …except a plain number, which no spreadsheet evaluates as a formula (keeps negative values numeric). */
const PLAIN_NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * RFC 4180: a cell containing a comma, quote, CR or LF is quoted, and its quotes are doubled. A cell that
 * starts with =, +, -, @, tab or CR (and is not a plain number) is prefixed with a single quote, as OWASP
 * recommends, so opening the file in a spreadsheet never runs it as a formula.
 */
export function csvCell(text: string): string {
  if (text.length > 0 && FORMULA_START.test(text) && !PLAIN_NUMBER.test(text)) text = `'${text}`;
  return CSV_SPECIAL.test(text) ? `"${text.replace(QUOTES, '""')}"` : text;
}

/**
 * Turns rows into lines. JSONL keys are pre-serialised once per export, so a line is a handful of string
 * concatenations; values come from each field's `json` renderer, which splices stored bodies verbatim.
 * CSV lines end in CRLF, as RFC 4180 specifies (embedded line breaks are quoted, so any reader copes).
 */
export function createRowEncoder(fields: readonly ExportField[], format: ExportFormat): RowEncoder {
  const n = fields.length;
  if (format === 'csv') {
    const cells = fields.map((f) => f.csv);
    const headerLine = `${fields.map((f) => csvCell(f.name)).join(',')}\r\n`;
    return {
      header: () => headerLine,
      encode(row) {
        let line = n > 0 ? csvCell(cells[0]!(row)) : '';
        for (let i = 1; i < n; i++) line += `,${csvCell(cells[i]!(row))}`;
        return `${line}\r\n`;
      },
    };
  }
  const json = fields.map((f) => f.json);
  const prefixes = fields.map((f, i) => `${i === 0 ? '{' : ','}${JSON.stringify(f.name)}:`);
  return {
    header: () => '',
    encode(row) {
      if (n === 0) return '{}\n';
      let line = '';
      for (let i = 0; i < n; i++) line += prefixes[i]! + json[i]!(row);
      return `${line}}\n`;
    },
  };
}

export interface BatchingWriterOptions {
  gzip: boolean;
  /** zlib level when gzip is on; default 6 (level 1 is ~3x faster for ~10-15% larger files). */
  gzipLevel?: number;
  /** Uncompressed size at which accumulated lines are written as one chunk; default 64 KiB. */
  batchBytes?: number;
  /** Written before the first row (even when there are none) and not counted in `rows`: the CSV header. */
  header?: string;
}

export interface BatchingWriter {
  /**
   * Queues one encoded line. Returns a promise only when a chunk was written and the stream asked to wait
   * (back-pressure); otherwise undefined, so the common path allocates no promise. Throws once the
   * writer has failed, finished or been aborted.
   */
  push(line: string): Promise<void> | void;
  /** Writes what is left, ends the stream and resolves when the sink has finished (rejects on failure). */
  finish(): Promise<void>;
  /** Destroys the compressor and the sink with `err`; pending and later calls reject. */
  abort(err?: Error): void;
  /** Uncompressed bytes handed to the stream so far (the header included). */
  readonly bytesWritten: number;
  /** Lines pushed so far. */
  readonly rows: number;
}

type Destroyable = NodeJS.WritableStream & { destroy?: (err?: Error) => unknown };

/**
 * Accumulates lines and writes them in ~64 KiB chunks: one write per line costs about half the throughput
 * (per-write stream bookkeeping, and a gzip call per tiny chunk). Lines are concatenated as strings and
 * encoded to UTF-8 once per chunk, which is cheaper than encoding each line separately.
 */
export function createBatchingWriter(sink: NodeJS.WritableStream, opts: BatchingWriterOptions): BatchingWriter {
  const batchChars = Math.max(1, Math.floor(opts.batchBytes ?? 64 * 1024));
  // The compressor buffers two chunks before asking us to wait, so encoding the next chunk overlaps
  // compressing the previous one on the thread pool instead of alternating with it.
  const zlibOptions: ZlibOptions & { writableHighWaterMark: number } = { level: opts.gzipLevel ?? 6, writableHighWaterMark: 2 * batchChars };
  const gzip = opts.gzip ? createGzip(zlibOptions) : undefined;
  const target: Destroyable = gzip ?? sink;

  let pending = opts.header ?? '';
  let bytesWritten = 0;
  let rows = 0;
  let failure: Error | undefined;
  let state: 'open' | 'finishing' | 'done' = 'open';
  let waiting: Promise<void> | undefined;

  // Settles when the sink has finished; the handler below stops it from becoming an unhandled rejection
  // and records the failure so that the next push or finish reports it.
  const done: Promise<void> = gzip ? pipeline(gzip, sink) : finished(sink, { readable: false });
  done.catch((err: unknown) => fail(err));
  // finished()/pipeline() listen for errors, but a listener of our own keeps an error emitted before
  // they observe it from ever being thrown as an uncaught 'error' event.
  const onError = (err: unknown) => fail(err);
  sink.on('error', onError);
  gzip?.on('error', onError);

  function fail(err: unknown): void {
    failure ??= err instanceof Error ? err : new Error(String(err));
  }

  function check(): void {
    if (failure) throw failure;
    if (state !== 'open') throw new Error('Export writer already finished');
  }

  /** Waits for 'drain'; rejects if the stream errors or closes first. */
  function drain(): Promise<void> {
    // A stream destroyed before we listen would never emit 'drain' or 'close' again.
    if ((target as { destroyed?: boolean }).destroyed) {
      fail(new Error('Export stream was destroyed'));
      const rejected = Promise.reject(failure);
      rejected.catch(() => undefined);
      return rejected;
    }
    const p = new Promise<void>((resolve, reject) => {
      // Cleared synchronously, so a write that fills the buffer right after a drain waits again.
      const settle = (err?: unknown) => {
        target.removeListener('drain', onDrain);
        target.removeListener('error', onFail);
        target.removeListener('close', onClose);
        if (waiting === p) waiting = undefined;
        if (err === undefined) resolve();
        else {
          fail(err);
          reject(failure);
        }
      };
      const onDrain = () => settle();
      const onFail = (err: unknown) => settle(err ?? new Error('Export stream failed'));
      const onClose = () => settle(new Error('Export stream closed before it drained'));
      target.on('drain', onDrain);
      target.once('error', onFail);
      target.once('close', onClose);
    });
    // A caller may drop the promise (it is advisory); failures still surface from push and finish.
    p.catch(() => undefined);
    return p;
  }

  /** Writes the accumulated text; true when the stream wants the writer to wait. */
  function flush(): boolean {
    if (pending.length === 0) return false;
    const chunk = Buffer.from(pending, 'utf8');
    pending = '';
    bytesWritten += chunk.length;
    return !target.write(chunk);
  }

  return {
    push(line) {
      check();
      rows++;
      pending += line;
      // Characters, not bytes, are compared: counting UTF-8 bytes per line would cost a scan of every
      // line, and a chunk is at least batchBytes bytes either way.
      if (pending.length < batchChars) return waiting;
      if (flush()) waiting ??= drain();
      return waiting;
    },
    async finish() {
      check();
      state = 'finishing';
      try {
        flush();
        target.end();
        await done;
      } finally {
        state = 'done';
      }
      if (failure) throw failure;
    },
    abort(err) {
      const reason = err ?? new Error('Export aborted');
      fail(reason);
      state = 'done';
      pending = '';
      gzip?.destroy(reason);
      if (typeof (sink as Destroyable).destroy === 'function') (sink as Destroyable).destroy!(reason);
    },
    get bytesWritten() {
      return bytesWritten;
    },
    get rows() {
      return rows;
    },
  };
}
