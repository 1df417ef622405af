import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

export function createLogger(config: Pick<Config, 'LOG_LEVEL'>): Logger {
  return pino({
    level: config.LOG_LEVEL,
    base: { service: 'logport' },
    // Keys must never reach the logs.
    redact: { paths: ['req.headers.authorization', 'req.headers["x-portkey-api-key"]', 'apiKey'], censor: '[redacted]' },
  });
}
