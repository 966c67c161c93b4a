import { type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type MicroserviceOptions } from '@nestjs/microservices';
import { Logger } from 'nestjs-pino';
import { type BusUser } from '@keyward/contracts';
import { type CommonConfig } from '../config/common-config';
import { ConfigurationError } from '../config/load-config';
import { natsServerOptions } from '../messaging/nats-options';
import { closeOnSignals } from './graceful-shutdown';

/** Starts a service's request listener on NATS, with JSON logs and graceful shutdown. */
export async function runMicroservice(service: BusUser, module: DynamicModule, config: CommonConfig, started: string): Promise<void> {
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(module, { ...natsServerOptions(config, service), bufferLogs: true });
  app.useLogger(app.get(Logger));
  closeOnSignals(app, app.get(Logger));
  await app.listen();
  app.get(Logger).log(started);
}

/**
 * Ends a process that could not start: a configuration problem (or another expected error class)
 * as one clear line naming what to fix, anything else with its stack.
 */
export function exitOnStartupFailure(service: string, expected: ReadonlyArray<abstract new (...args: never[]) => Error> = []) {
  return (error: unknown): never => {
    if (error instanceof ConfigurationError || expected.some((type) => error instanceof type)) {
      process.stderr.write(`${service}: ${(error as Error).message}\n`);
    } else {
      process.stderr.write(`${service} failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    }
    process.exit(1);
  };
}
