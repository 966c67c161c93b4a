import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { type FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { Public } from '../auth/public.decorator';

/**
 * The gateway's Prometheus metrics (prom-client): HTTP requests and their latency by method,
 * route template and status, and the process's own (CPU, memory, event loop, GC). A route label
 * is the template a request matched (`/v1/accounts/:account`), never the path sent, so no account
 * name, id or other input of a client becomes a label value; a request no route matched counts
 * under the console's catch-all `/*`, or as `unmatched` when no console is served.
 */
export class HttpMetrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'keyward_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'keyward_http_request_duration_seconds',
    help: 'Time from request to response, by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'keyward_gateway_' });
  }

  /** Counts every response from Fastify's onResponse hook. */
  install(fastify: FastifyInstance): void {
    fastify.addHook('onResponse', (request, reply, done) => {
      const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
      this.requests.inc(labels);
      this.duration.observe(labels, reply.elapsedTime / 1000);
      done();
    });
  }
}

/** `GET /metrics` in Prometheus's text format; not part of the REST API (left out of the OpenAPI document). */
@Controller('metrics')
@Public()
export class MetricsController {
  constructor(private readonly metrics: HttpMetrics) {}

  @Get()
  @ApiExcludeEndpoint()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
