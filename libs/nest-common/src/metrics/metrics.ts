import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type BusUser } from '@keyward/contracts';
import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

export const METRICS_OPTIONS = Symbol('METRICS_OPTIONS');

export interface MetricsOptions {
  service: BusUser;
  /** The port of the service's own metrics listener; 0 picks a free one; undefined: none (the gateway serves /metrics itself). */
  port?: number;
  host: string;
}

/** Where the NATS services serve their metrics unless KEYWARD_METRICS_PORT says otherwise. */
export const DEFAULT_METRICS_PORTS: Record<Exclude<BusUser, 'gateway'>, number> = { identity: 9101, credentials: 9102, reaper: 9103 };

/**
 * A process's Prometheus metrics (prom-client): its own registry, the process's default metrics
 * under `keyward_<service>_`, and what every service measures the same way (requests it sends
 * on the bus). Label values are subject names, states and reasons from the code, never input.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly natsRequests: Histogram<'subject' | 'outcome'>;
  readonly natsTimeouts: Counter<'subject'>;
  readonly natsRetries: Counter<'subject'>;

  constructor(@Inject(METRICS_OPTIONS) readonly options: MetricsOptions) {
    collectDefaultMetrics({ register: this.registry, prefix: `keyward_${options.service}_` });
    this.natsRequests = new Histogram({
      name: 'keyward_nats_request_duration_seconds',
      help: 'Requests this process sent on the bus, by subject and outcome (ok, error: an error reply, timeout, unavailable)',
      labelNames: ['subject', 'outcome'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [this.registry],
    });
    this.natsTimeouts = new Counter({
      name: 'keyward_nats_request_timeouts_total',
      help: 'Requests this process sent on the bus that timed out, by subject',
      labelNames: ['subject'] as const,
      registers: [this.registry],
    });
    this.natsRetries = new Counter({
      name: 'keyward_nats_request_retries_total',
      help: 'Requests sent again because no service listened on the subject (a service failing over or restarting), by subject',
      labelNames: ['subject'] as const,
      registers: [this.registry],
    });
  }

  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  histogram<L extends string>(name: string, help: string, buckets: number[], labelNames: readonly L[] = []): Histogram<L> {
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  /** A gauge read when scraped: `read` asks the database or the process; a failed read leaves the last value. */
  gauge(name: string, help: string, read: () => Promise<number>): Gauge {
    return new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        try {
          this.set(await read());
        } catch {
          // Scraped while the database is away: the last value stays.
        }
      },
    });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

/**
 * The metrics listener of a NATS service: `GET /metrics` on KEYWARD_METRICS_HOST (default
 * 127.0.0.1: not reachable from outside the host or container unless set otherwise) and
 * KEYWARD_METRICS_PORT. A port already taken is logged and the service runs on without it.
 */
@Injectable()
export class MetricsServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(MetricsServer.name);
  private server?: Server;

  constructor(private readonly metrics: Metrics) {}

  onApplicationBootstrap(): Promise<void> {
    const { port, host } = this.metrics.options;
    if (port === undefined) return Promise.resolve();
    const server = createServer((request, response) => {
      if (request.method !== 'GET' || (request.url ?? '').split('?')[0] !== '/metrics') {
        response.writeHead(404, { 'content-type': 'text/plain' }).end('Only GET /metrics is served here\n');
        return;
      }
      void this.metrics.text().then(
        (text) => response.writeHead(200, { 'content-type': this.metrics.registry.contentType }).end(text),
        () => response.writeHead(500).end(),
      );
    });
    return new Promise((resolvePromise) => {
      server.once('error', (error) => {
        this.logger.error(`Metrics not served: ${host}:${port}: ${error.message}`);
        resolvePromise();
      });
      server.listen(port, host, () => {
        this.server = server;
        const address = server.address();
        this.logger.log(`Metrics on http://${host}:${typeof address === 'object' && address ? address.port : port}/metrics`);
        resolvePromise();
      });
    });
  }

  async onApplicationShutdown(): Promise<void> {
    const server = this.server;
    if (server) await new Promise((resolvePromise) => server.close(resolvePromise));
  }
}
