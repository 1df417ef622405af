import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

/**
 * Log lines are buffered up to MIN_WRITE_BYTES and written at least every FLUSH_MS, not one write per line: at ingest
 * rates the request log's synchronous write per request was ~3% of the event loop's CPU in bench:ingest (sonic-boom's
 * write and pino's serialisation), most of it the system call and the wake-up of whatever reads the pipe. pino flushes
 * what is buffered when the process exits, so a crash that exits (fatal error, uncaught exception) loses no line;
 * a kill -9 loses at most FLUSH_MS of them.
 */
const MIN_WRITE_BYTES = 4096;
const FLUSH_MS = 250;

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>): Logger {
  return pino(
    {
      level: config.LOG_LEVEL,
      base: { service: 'logport' },
      // Keys must never reach the logs.
      redact: { paths: ['req.headers.authorization', 'req.headers["x-portkey-api-key"]', 'apiKey'], censor: '[redacted]' },
    },
    pino.destination({ dest: 1, sync: false, minLength: MIN_WRITE_BYTES, periodicFlush: FLUSH_MS }),
  );
}
