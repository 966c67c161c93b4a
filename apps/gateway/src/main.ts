import 'reflect-metadata';
import { closeOnSignals, ConfigurationError } from '@keyward/nest-common';
import { Logger } from 'nestjs-pino';
import { createGateway } from './bootstrap';
import { loadGatewayConfig } from './config';

async function main(): Promise<void> {
  const config = loadGatewayConfig();
  const app = await createGateway(config);
  closeOnSignals(app, app.get(Logger));
  await app.listen(config.KEYWARD_PORT, config.KEYWARD_HOST);
  app.get(Logger).log(`Keyward gateway listening on ${await app.getUrl()}`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigurationError) {
    process.stderr.write(`gateway: ${error.message}\n`);
  } else {
    process.stderr.write(`gateway failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
