import { type Config, ConfigError, parseConfig } from './config.js';
import { type App, createApp } from './app.js';
import { createLogger } from './logger.js';
import { startTelemetry } from './telemetry.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = parseConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = createLogger(config);
  const telemetry = startTelemetry(config);
  if (telemetry.enabled) logger.info("exporting Logport's own traces over OTLP");
  let app: App | undefined;
  app = await createApp(config, logger, {
    selfTraced: telemetry.enabled,
    // Without its database the service can do nothing: exit non-zero so a process manager restarts it whole.
    onFatal: () => {
      setTimeout(() => process.exit(1), 3000).unref();
      void (app?.stop() ?? Promise.resolve()).finally(() => process.exit(1));
    },
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // A hard stop a little after the graceful deadline, in case something hangs.
    setTimeout(() => {
      logger.error('graceful shutdown timed out; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS + 2000).unref();
    app!
      .stop()
      .then(() => telemetry.shutdown())
      .then(
        () => process.exit(0),
        (err) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  // A bug in one request must not take the process down; log it loudly instead.
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));

  await app!.listen();
  // The address line goes out now, not with the next buffered batch (logger.ts): scripts wait for it.
  logger.flush();
}

main().catch((err: unknown) => {
  process.stderr.write(`logport failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
