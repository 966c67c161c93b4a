import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BUS_GRANTS, type BusUser, inboxPrefixOf } from './bus-grants';
import { CredentialsSubjects, IdentityEvents, IdentitySubjects, ReaperSubjects } from './subjects';

const ROOT = join(__dirname, '..', '..', '..');
const USERS = Object.keys(BUS_GRANTS) as BusUser[];

interface ConfUser {
  subscribe: string[];
  publish: string[];
  allowResponses: boolean;
}

/** The users of deploy/nats/nats.conf with their grants (the file's own, simple layout: one user per block). */
function natsConfUsers(): Map<string, ConfUser> {
  const text = readFileSync(join(ROOT, 'deploy', 'nats', 'nats.conf'), 'utf8').replace(/#.*$/gm, '');
  const users = new Map<string, ConfUser>();
  for (const block of text.split(/\n\s*user:\s*/).slice(1)) {
    const name = /^(\S+)/.exec(block)?.[1] ?? '';
    const list = (key: string): string[] => {
      const found = new RegExp(`${key}:\\s*\\[([^\\]]*)\\]`).exec(block);
      if (!found) throw new Error(`nats.conf: user ${name} has no ${key} list`);
      return [...found[1].matchAll(/"([^"]+)"/g)].map((match) => match[1]);
    };
    users.set(name, { subscribe: list('subscribe'), publish: list('publish'), allowResponses: /allow_responses:\s*true/.test(block) });
  }
  return users;
}

const sorted = (values: Iterable<string>): string[] => [...new Set(values)].sort();
const isJetStream = (subject: string): boolean => subject.startsWith('$JS.');

/** The subject constants a service's code names, by family. */
function subjectsNamedIn(dir: string): Map<string, Set<string>> {
  const families: Record<string, Record<string, string>> = { IdentitySubjects, CredentialsSubjects, ReaperSubjects };
  const named = new Map<string, Set<string>>(Object.keys(families).map((family) => [family, new Set<string>()]));
  const walk = (path: string): void => {
    for (const entry of readdirSync(path)) {
      const full = join(path, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry.endsWith('.ts') && !entry.endsWith('.spec.ts')) {
        for (const match of readFileSync(full, 'utf8').matchAll(/\b(IdentitySubjects|CredentialsSubjects|ReaperSubjects)\.(\w+)/g)) {
          const subject = families[match[1]][match[2]];
          if (!subject) throw new Error(`${full}: ${match[1]}.${match[2]} is not a subject`);
          named.get(match[1])?.add(subject);
        }
      }
    }
  };
  walk(dir);
  return named;
}

describe('the bus grants', () => {
  const conf = natsConfUsers();

  it('has a user in nats.conf for every service and none other', () => {
    expect(sorted(conf.keys())).toEqual(sorted(USERS));
  });

  it.each(USERS)('grants %s in nats.conf exactly what the contract lists', (user) => {
    const grant = BUS_GRANTS[user];
    const granted = conf.get(user);
    expect(granted).toBeDefined();
    if (!granted) return;
    // Its own inbox only, then what it serves and listens to.
    expect(sorted(granted.subscribe)).toEqual(sorted([`${inboxPrefixOf(user)}.>`, ...grant.serves, ...grant.listens]));
    expect(sorted(granted.publish.filter((subject) => !isJetStream(subject)))).toEqual(sorted([...grant.sends, ...grant.publishes]));
    // Replies only to requests it was sent, and only services that serve something may reply.
    expect(granted.allowResponses).toBe(grant.serves.length > 0);
    expect(granted.publish.concat(granted.subscribe).filter((subject) => subject.startsWith('_INBOX') && subject !== `${inboxPrefixOf(user)}.>`)).toEqual([]);
    expect(
      granted.publish
        .concat(granted.subscribe)
        .filter((subject) => subject === '>' || subject.endsWith('.>'))
        .filter((s) => !s.startsWith('_INBOX_') && !s.startsWith('$JS.ACK.')),
    ).toEqual([]);
  });

  it('names in nats.conf only subjects of libs/contracts, and every one of them', () => {
    const known = new Set<string>([
      ...Object.values(IdentitySubjects),
      ...Object.values(CredentialsSubjects),
      ...Object.values(ReaperSubjects),
      ...Object.values(IdentityEvents),
    ]);
    const inConf = new Set(
      [...conf.values()].flatMap((user) => [...user.subscribe, ...user.publish]).filter((s) => !isJetStream(s) && !s.startsWith('_INBOX_')),
    );
    expect(sorted([...inConf].filter((subject) => !known.has(subject)))).toEqual([]);
    expect(sorted([...known].filter((subject) => !inConf.has(subject)))).toEqual([]);
  });

  it('serves every request subject by exactly one service, and sends one only where some service serves it', () => {
    const servers = USERS.flatMap((user) => BUS_GRANTS[user].serves);
    expect(servers.length).toBe(new Set(servers).size);
    const served = new Set(servers);
    expect(USERS.flatMap((user) => BUS_GRANTS[user].sends).filter((subject) => !served.has(subject))).toEqual([]);
  });

  it.each(USERS)('matches what the code of %s names: each subject it serves or sends is granted', (user) => {
    const own = { identity: 'IdentitySubjects', credentials: 'CredentialsSubjects', reaper: 'ReaperSubjects', gateway: '' }[user];
    const named = subjectsNamedIn(join(ROOT, 'apps', user, 'src'));
    const grant = BUS_GRANTS[user];
    const sent = sorted([...named.entries()].filter(([family]) => family !== own).flatMap(([, subjects]) => [...subjects]));
    // A service's own health check is sent by its container's probe, not by its code.
    const healthProbe = grant.serves.find((subject) => subject.endsWith('.health.check'));
    expect(sent).toEqual(sorted(grant.sends.filter((subject) => subject !== healthProbe)));
    if (own) expect(sorted(named.get(own) ?? [])).toEqual(sorted(grant.serves));
  });
});
