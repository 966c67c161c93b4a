import { eventStreamName } from '@keyward/contracts';
import { eventually, freePort, PrivateNatsCluster, TestStack } from '@keyward/testing';
import { connect } from 'nats';

/** Keyward on a three-server NATS cluster, as compose runs it: NATS_URL lists every server. */
describe('a three-server NATS cluster', () => {
  let cluster: PrivateNatsCluster;
  let stack: TestStack;

  beforeAll(async () => {
    cluster = await PrivateNatsCluster.start(3, freePort);
    stack = await TestStack.start({ natsUrl: cluster.url });
  });

  afterAll(async () => {
    await stack?.stop();
    await cluster?.stop();
  });

  const deleteAccount = async () => {
    const name = await stack.newAccount();
    const owner = stack.adminClient().inAccount(name);
    expect((await owner.post('/v1/credentials', { name: 'c1', type: 'password', scope: 'all', values: { username: 'u', password: 'p-1' } })).status).toBe(201);
    expect((await stack.adminClient().put(`/v1/accounts/${name}/state`, { state: 'disabled' })).status).toBe(200);
    expect((await stack.adminClient().delete(`/v1/accounts/${name}`)).status).toBe(200);
    await eventually(
      `account ${name} to be reaped`,
      async () => ((await stack.adminClient().get(`/v1/accounts/${name}`)).status === 404 ? true : undefined),
      30_000,
      50,
    );
  };

  it('keeps the event stream in three copies, one per server', async () => {
    const connection = await connect({ servers: cluster.urls });
    try {
      const streams = (await connection.jetstreamManager()).streams;
      // Right after the stream is made its servers may still be electing a leader (none named,
      // all three listed as replicas): ask until one leads.
      const info = await eventually('the event stream to have a leader', async () => {
        const current = await streams.info(eventStreamName(stack.env['KEYWARD_NATS_PREFIX']));
        return current.cluster?.leader ? current : undefined;
      });
      expect(info.config.num_replicas).toBe(3);
      const servers = [info.cluster?.leader, ...(info.cluster?.replicas ?? []).map((replica) => replica.name)];
      expect(new Set(servers).size).toBe(3);
      expect(servers).toHaveLength(3);
    } finally {
      await connection.close();
    }
    await deleteAccount();
  });

  it('goes on serving and reaping after one server is killed', async () => {
    await cluster.servers[0]?.down('SIGKILL');
    // The services were connected to any of the three; each fails over to the others (the
    // readiness check asks identity and credentials over the bus).
    await eventually(
      'every service to answer through the remaining servers',
      async () => ((await stack.client().get('/health/ready')).status === 200 ? true : undefined),
      30_000,
      100,
    );
    await deleteAccount();
  });
});
