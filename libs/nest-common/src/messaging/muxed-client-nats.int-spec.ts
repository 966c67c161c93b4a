import { connect, ErrorCode, JSONCodec, type NatsConnection, NatsError } from 'nats';
import { MuxedClientNats } from './muxed-client-nats';

const NATS_URL = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
const codec = JSONCodec<{ id: string; pattern: string; data: unknown }>();
const subject = (name: string) => `${process.env['KEYWARD_NATS_PREFIX']}.muxed.${name}`;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error: unknown) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** Against the real NATS server: replies in Nest's format, as a Nest service sends them. */
describe(MuxedClientNats.name, () => {
  let server: NatsConnection;
  let client: MuxedClientNats;

  beforeAll(async () => {
    server = await connect({ servers: NATS_URL });
    server.subscribe(subject('echo'), {
      callback: (_, message) => {
        const packet = codec.decode(message.data);
        message.respond(JSONCodec().encode({ id: packet.id, response: { echoed: packet.data, pattern: packet.pattern }, isDisposed: true }));
      },
    });
    server.subscribe(subject('fail'), {
      callback: (_, message) => {
        const packet = codec.decode(message.data);
        message.respond(JSONCodec().encode({ id: packet.id, err: { code: 'NOT_FOUND', message: 'nope' }, isDisposed: true }));
      },
    });
    server.subscribe(subject('late'), {
      callback: (_, message) => {
        const packet = codec.decode(message.data);
        setTimeout(() => message.respond(JSONCodec().encode({ id: packet.id, response: 'late', isDisposed: true })), 300);
      },
    });
    await server.flush();
    client = new MuxedClientNats({ servers: [NATS_URL], noAsyncTraces: true });
    await client.connect();
  });

  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it('answers concurrent requests each with its own reply', async () => {
    const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => client.request(subject('echo'), { i }, 2000)));
    expect(replies).toEqual(Array.from({ length: 20 }, (_, i) => ({ echoed: { i }, pattern: subject('echo') })));
  });

  it('rejects with the error a handler replied', async () => {
    expect(await rejection(client.request(subject('fail'), {}, 2000))).toEqual({ code: 'NOT_FOUND', message: 'nope' });
  });

  it('rejects at once when nobody listens', async () => {
    const started = Date.now();
    const error = await rejection(client.request(subject('nobody'), {}, 5000));
    expect(error).toBeInstanceOf(NatsError);
    expect((error as NatsError).code).toBe(ErrorCode.NoResponders);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('times out, and ignores the reply that comes afterwards', async () => {
    const error = await rejection(client.request(subject('late'), {}, 100));
    expect((error as NatsError).code).toBe(ErrorCode.Timeout);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await client.request(subject('echo'), 'still fine', 2000)).toEqual({ echoed: 'still fine', pattern: subject('echo') });
  });

  it('fails waiting requests when the connection closes, and later ones at once', async () => {
    const other = new MuxedClientNats({ servers: [NATS_URL], noAsyncTraces: true });
    await other.connect();
    const waiting = rejection(other.request(subject('late'), {}, 5000));
    await other.close();
    expect(((await waiting) as NatsError).code).toBe(ErrorCode.ConnectionClosed);
    expect(((await rejection(other.request(subject('echo'), {}, 5000))) as NatsError).code).toBe(ErrorCode.ConnectionClosed);
  });
});
