import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { type MicroserviceOptions } from '@nestjs/microservices';
import { closeOnSignals, ConfigurationError, natsServerOptions } from '@keyward/nest-common';
import { Logger } from 'nestjs-pino';
import { loadIdentityConfig } from './config';
import { IdentityModule } from './identity.module';

async function main(): Promise<void> {
  const config = loadIdentityConfig();
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(IdentityModule.forRoot(config), {
    ...natsServerOptions(config, 'identity'),
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  closeOnSignals(app, app.get(Logger));
  await app.listen();
  app.get(Logger).log('identity is listening on NATS');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigurationError) {
    process.stderr.write(`identity: ${error.message}\n`);
  } else {
    process.stderr.write(`identity failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
