import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { setUpOpenApi } from './api/swagger';
import { type GatewayConfig } from './config';
import { GatewayModule } from './gateway.module';

/** Builds the gateway application; `main` listens on the configured port, tests on port 0. */
export async function createGateway(config: GatewayConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    GatewayModule.forRoot(config),
    new FastifyAdapter({ trustProxy: config.KEYWARD_TRUST_PROXY, bodyLimit: 1024 * 1024 }),
    // The raw body is what a signed request's body hash covers.
    { bufferLogs: true, rawBody: true },
  );
  app.useLogger(app.get(Logger));
  setUpOpenApi(app);
  return app;
}
