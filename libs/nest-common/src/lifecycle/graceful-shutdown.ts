import { type INestApplicationContext, type LoggerService } from '@nestjs/common';

/**
 * On SIGTERM or SIGINT: stop taking work, run every shutdown hook (HTTP server closed, NATS
 * drained, database pool ended), then exit 0. A shutdown that hangs is cut short after `graceMs`.
 */
export function closeOnSignals(app: INestApplicationContext, logger: LoggerService, graceMs = 10_000): void {
  let closing = false;
  const close = (signal: NodeJS.Signals) => {
    if (closing) {
      return;
    }
    closing = true;
    logger.log(`Received ${signal}: shutting down`);
    const deadline = setTimeout(() => {
      logger.error(`Shutdown took longer than ${graceMs} ms: exiting`);
      process.exit(1);
    }, graceMs);
    deadline.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', close);
  process.on('SIGINT', close);
}
