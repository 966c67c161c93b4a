import { TestStack } from '@keyward/testing';

interface Outcome {
  startedAt: number;
  status: number | null;
  error: string | null;
  /** The closing server's refusal (503 with `Connection: close`), not an answer of the API. */
  refusedWhileClosing: boolean;
}

/**
 * SIGTERM to a gateway replica while requests flow: every request it had already received is
 * answered; requests that arrive once it is closing are refused (the connection closed, or 503
 * with `Connection: close`) and a client retrying on the other replica loses nothing.
 */
describe('a gateway replica stopped under load', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await TestStack.start({ gateways: 2 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers every request in flight when SIGTERM arrives, and nothing is lost with one retry on the other replica', async () => {
    const account = await stack.newAccount();
    const user = await stack.newUser(account);
    const auth = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
    const [first, second] = stack.gatewayUrls as [string, string];
    const outcomes: Outcome[] = [];
    let retried = 0;
    let lost = 0;
    let stopping = true;
    let signalledAt = Infinity;

    const once = async (url: string): Promise<Outcome> => {
      const startedAt = performance.now();
      try {
        const response = await fetch(`${url}/v1/accounts/${account}/users`, { headers: { authorization: auth } });
        const body = Buffer.from(await response.arrayBuffer()).toString();
        const refusedWhileClosing = response.status === 503 && response.headers.get('connection') === 'close' && !body.includes('SERVICE_UNAVAILABLE');
        return { startedAt, status: response.status, error: null, refusedWhileClosing };
      } catch (error: unknown) {
        return { startedAt, status: null, error: error instanceof Error ? String(error.cause ?? error.message) : String(error), refusedWhileClosing: false };
      }
    };
    const worker = async () => {
      while (stopping) {
        const outcome = await once(first);
        outcomes.push(outcome);
        if (outcome.status !== 200) {
          retried += 1;
          if ((await once(second)).status !== 200) lost += 1;
        }
      }
    };
    const workers = Array.from({ length: 20 }, worker);
    // Load flows for a moment, then the replica is told to stop.
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 1500));
    signalledAt = performance.now();
    const gateway = stack.gateways[0];
    await gateway?.stop('SIGTERM');
    expect(await gateway?.exit()).toBe(0);
    stopping = false;
    await Promise.all(workers);

    const before = outcomes.filter((o) => o.startedAt < signalledAt);
    expect(before.length).toBeGreaterThan(100);
    // Started before the signal: answered, every one, but for a request sent just before it that
    // reached the server once it was closing (refused with Connection: close, never a service's
    // 503 from a bus already drained).
    expect(before.filter((o) => o.status !== 200 && !o.refusedWhileClosing)).toEqual([]);
    expect(before.filter((o) => o.refusedWhileClosing).length).toBeLessThan(20);
    // After it: refused, never half-answered, and the retry on the other replica succeeded.
    const after = outcomes.filter((o) => o.startedAt >= signalledAt && o.status !== 200);
    expect(after.every((o) => o.status === 503 || o.error !== null)).toBe(true);
    // Every request not answered 200 was retried once: those after the signal and those refused while closing.
    expect(retried).toBe(after.length + before.filter((o) => o.refusedWhileClosing).length);
    expect(lost).toBe(0);
    const logs = await stack.flushedLogs();
    expect(logs).toContain('Received SIGTERM: shutting down');
  });
});
