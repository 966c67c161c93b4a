import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { type MicroserviceOptions } from '@nestjs/microservices';
import { closeOnSignals, ConfigurationError, natsServerOptions } from '@keyward/nest-common';
import { Logger } from 'nestjs-pino';
import { loadCredentialsConfig } from './config';
import { CredentialsModule } from './credentials.module';
import { KeyRing, KeyRingError } from './crypto/key-ring';

async function main(): Promise<void> {
  const config = loadCredentialsConfig();
  const keyRing = KeyRing.parse(config.KEYWARD_MASTER_KEYS);
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(CredentialsModule.forRoot(config, keyRing), {
    ...natsServerOptions(config, 'credentials'),
    bufferLogs: true,
  });
  app.useLogger(app.get(Logger));
  closeOnSignals(app, app.get(Logger));
  await app.listen();
  app.get(Logger).log(`credentials is listening on NATS; sealing with key ${keyRing.activeKeyId}`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigurationError || error instanceof KeyRingError) {
    process.stderr.write(`credentials: ${error.message}\n`);
  } else {
    process.stderr.write(`credentials failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  }
  process.exit(1);
});
