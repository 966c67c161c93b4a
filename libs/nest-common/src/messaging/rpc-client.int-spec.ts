import { IdentitySubjects, wireSubject } from '@keyward/contracts';
import { ErrorCode } from '@keyward/domain';
import { connect, JSONCodec, type NatsConnection, type Subscription } from 'nats';
import { Metrics } from '../metrics/metrics';
import { MuxedClientNats } from './muxed-client-nats';
import { RpcClient } from './rpc-client';

const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const codec = JSONCodec<{ id: string }>();
const subject = IdentitySubjects.healthCheck;

/** Against the real NATS server: a service that is not listening yet, as while it fails over to another server. */
describe(RpcClient.name, () => {
  let server: NatsConnection;
  let muxed: MuxedClientNats;
  let metrics: Metrics;
  let rpc: RpcClient;
  let received = 0;

  const listen = (): Subscription =>
    server.subscribe(wireSubject(subject), {
      callback: (_, message) => {
        received++;
        message.respond(JSONCodec().encode({ id: codec.decode(message.data).id, response: { database: 'up' }, isDisposed: true }));
      },
    });

  beforeAll(async () => {
    server = await connect({ servers: NATS_URL });
    muxed = new MuxedClientNats({ servers: [NATS_URL], noAsyncTraces: true });
    metrics = new Metrics({ service: 'gateway', host: '127.0.0.1' });
    rpc = new RpcClient(muxed, { timeoutMs: 3000, failoverMs: 1000 }, metrics);
    await rpc.onModuleInit();
  });

  afterAll(async () => {
    await muxed?.close();
    await server?.close();
  });

  beforeEach(() => {
    received = 0;
  });

  it('sends again while nothing listens, and is answered once the service is back', async () => {
    let listener: Subscription | undefined;
    const late = setTimeout(() => {
      listener = listen();
    }, 300);
    try {
      expect(await rpc.send(subject, {})).toEqual({ database: 'up' });
      expect(received).toBe(1);
      const retries = (await metrics.registry.getSingleMetric('keyward_nats_request_retries_total')?.get())?.values ?? [];
      expect(retries.find((value) => value.labels['subject'] === subject)?.value).toBeGreaterThan(0);
    } finally {
      clearTimeout(late);
      listener?.unsubscribe();
      await server.flush();
    }
  });

  it('gives up after the failover window, well before the timeout, as SERVICE_UNAVAILABLE', async () => {
    const started = Date.now();
    await expect(rpc.send(subject, {})).rejects.toEqual(expect.objectContaining({ code: ErrorCode.ServiceUnavailable }));
    const elapsed = Date.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(700);
    expect(elapsed).toBeLessThan(2500);
  });

  it('answers at once when asked not to wait for a failover', async () => {
    const started = Date.now();
    await expect(rpc.send(subject, {}, { failover: false })).rejects.toMatchObject({ code: ErrorCode.ServiceUnavailable });
    expect(Date.now() - started).toBeLessThan(500);
  });
});
