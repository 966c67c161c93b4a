import helmet from 'helmet';
import { installAccessLog, ROOT_LOGGER } from '@keyward/nest-common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { acceptJsonBodiesOnly, BODY_LIMIT, clientErrorHandler, refuseControlCharacters, requestIdOf, ROUTER_OPTIONS } from './api/http-edge';
import { setUpOpenApi } from './api/swagger';
import { type GatewayConfig, trustProxySetting } from './config';
import { serveConsole } from './console/console-static';
import { GatewayModule } from './gateway.module';
import { HttpMetrics } from './metrics/http-metrics';

/** Builds the gateway application; `main` listens on the configured port, tests on port 0. */
export async function createGateway(config: GatewayConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    GatewayModule.forRoot(config),
    new FastifyAdapter({
      trustProxy: trustProxySetting(config.KEYWARD_TRUST_PROXY),
      bodyLimit: BODY_LIMIT,
      routerOptions: ROUTER_OPTIONS,
      clientErrorHandler,
      genReqId: requestIdOf,
    }),
    // Nest's own parsers would accept forms: the gateway registers its JSON parser alone, which
    // also keeps the raw body that a signed request's body hash covers.
    { bufferLogs: true, bodyParser: false },
  );
  acceptJsonBodiesOnly(app.getHttpAdapter().getInstance());
  refuseControlCharacters(app.getHttpAdapter().getInstance());
  installAccessLog(app.getHttpAdapter().getInstance(), app.get(ROOT_LOGGER), 'gateway');
  app.get(HttpMetrics).install(app.getHttpAdapter().getInstance());
  // Security headers on every response, from one helmet middleware built once (@fastify/helmet
  // builds it again for every request); the console's pages set their own stricter policy.
  const securityHeaders = helmet();
  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onRequest', (request, reply, done) => {
      void reply.header('X-Request-Id', request.id);
      securityHeaders(request.raw, reply.raw, (error?: unknown) => done(error as Error | undefined));
    });
  app.useLogger(app.get(Logger));
  setUpOpenApi(app);
  await serveConsole(app, config.KEYWARD_CONSOLE_DIR, app.get(Logger));
  return app;
}
