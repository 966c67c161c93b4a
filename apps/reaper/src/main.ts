import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { type MicroserviceOptions } from '@nestjs/microservices';
import { closeOnSignals, ConfigurationError, natsServerOptions } from '@keyward/nest-common';
import { Logger } from 'nestjs-pino';
import { loadReaperConfig } from './config';
import { ReaperModule } from './reaper.module';

async function main(): Promise<void> {
  const config = loadReaperConfig();
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(ReaperModule.forRoot(config), {
    ...natsServerOptions(config, 'reaper'),
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  closeOnSignals(app, app.get(Logger));
  await app.listen();
  app.get(Logger).log('reaper is consuming account deletions');
}

main().catch((error: unknown) => {
  if (error instanceof ConfigurationError) {
    process.stderr.write(`reaper: ${error.message}\n`);
  } else {
    process.stderr.write(`reaper failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
