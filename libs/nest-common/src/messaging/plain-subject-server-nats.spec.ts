import { PlainSubjectServerNats } from './plain-subject-server-nats';

describe(PlainSubjectServerNats.name, () => {
  const handler = Object.assign(async () => undefined, { isEventHandler: false });
  let server: PlainSubjectServerNats;

  beforeEach(() => {
    server = new PlainSubjectServerNats({ servers: ['nats://127.0.0.1:4222'] });
  });

  it('finds the handler of a plain subject', () => {
    server.addHandler('test1.identity.account.get', handler);
    expect(server.getHandlerByPattern('test1.identity.account.get')).toBe(handler);
    expect(server.getHandlerByPattern('test1.identity.account.list')).toBeNull();
  });

  it('still routes object patterns sent as JSON', () => {
    server.addHandler({ cmd: 'sum', version: 2 }, handler);
    expect(server.getHandlerByPattern('{"version":2,"cmd":"sum"}')).toBe(handler);
  });
});
