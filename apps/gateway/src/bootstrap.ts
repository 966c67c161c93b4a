import helmet from '@fastify/helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { acceptJsonBodiesOnly, BODY_LIMIT, clientErrorHandler, refuseControlCharacters, ROUTER_OPTIONS } from './api/http-edge';
import { setUpOpenApi } from './api/swagger';
import { type GatewayConfig, trustProxySetting } from './config';
import { serveConsole } from './console/console-static';
import { GatewayModule } from './gateway.module';

/** Builds the gateway application; `main` listens on the configured port, tests on port 0. */
export async function createGateway(config: GatewayConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    GatewayModule.forRoot(config),
    new FastifyAdapter({ trustProxy: trustProxySetting(config.KEYWARD_TRUST_PROXY), bodyLimit: BODY_LIMIT, routerOptions: ROUTER_OPTIONS, clientErrorHandler }),
    // Nest's own parsers would accept forms: the gateway registers its JSON parser alone, which
    // also keeps the raw body that a signed request's body hash covers.
    { bufferLogs: true, bodyParser: false },
  );
  acceptJsonBodiesOnly(app.getHttpAdapter().getInstance());
  refuseControlCharacters(app.getHttpAdapter().getInstance());
  // Security headers on every response; the console's pages set their own stricter policy.
  await app.register(helmet);
  app.useLogger(app.get(Logger));
  setUpOpenApi(app);
  await serveConsole(app, config.KEYWARD_CONSOLE_DIR, app.get(Logger));
  return app;
}
