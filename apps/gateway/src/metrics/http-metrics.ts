import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeEndpoint } from '@nestjs/swagger';
import { type FastifyInstance } from 'fastify';
import { Metrics } from '@keyward/nest-common';
import { type Counter, type Histogram } from 'prom-client';
import { Public } from '../auth/public.decorator';

/**
 * The gateway's HTTP metrics, in the process's registry (Metrics: with the requests it sends on the
 * bus, its credential cache and the process's own): requests and their latency by method, route
 * template and status. A route label
 * is the template a request matched (`/v1/accounts/:account`), never the path sent, so no account
 * name, id or other input of a client becomes a label value; a request no route matched counts
 * under the console's catch-all `/*`, or as `unmatched` when no console is served.
 */
export class HttpMetrics {
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly duration: Histogram<'method' | 'route' | 'status'>;

  constructor(readonly metrics: Metrics) {
    this.requests = metrics.counter('keyward_http_requests_total', 'HTTP requests answered, by method, route template and status', [
      'method',
      'route',
      'status',
    ]);
    this.duration = metrics.histogram(
      'keyward_http_request_duration_seconds',
      'Time from request to response, by method, route template and status',
      [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      ['method', 'route', 'status'],
    );
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
    return this.metrics.metrics.text();
  }
}
