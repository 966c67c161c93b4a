import { CredentialsSubjects, IdentityEvents, IdentitySubjects, ReaperSubjects } from './subjects';

/** The NATS users of a deployment: one per service. */
export type BusUser = 'identity' | 'credentials' | 'reaper' | 'gateway';

export interface BusGrant {
  /** Request subjects it answers (its NATS user subscribes to exactly these). */
  serves: readonly string[];
  /** Request subjects it sends, its health probe's included. */
  sends: readonly string[];
  /** Plain NATS events it publishes, or JetStream events it writes. */
  publishes: readonly string[];
  /** Plain NATS events it subscribes to. */
  listens: readonly string[];
}

/**
 * Every NATS subject each service may use: the contract `deploy/nats/nats.conf` grants, no more
 * (a test compares the two, and this table with the subjects the code uses). A request reaches
 * only the services that serve it, and only from those that may send it; replies travel on the
 * requester's own inbox (`inboxPrefixOf`), which no other user may read or write.
 */
export const BUS_GRANTS: Record<BusUser, BusGrant> = {
  identity: {
    serves: Object.values(IdentitySubjects),
    sends: [IdentitySubjects.healthCheck],
    publishes: [IdentityEvents.principalChanged, IdentityEvents.accountDeleting, IdentityEvents.accountDeleted],
    listens: [],
  },
  credentials: {
    serves: Object.values(CredentialsSubjects),
    sends: [CredentialsSubjects.healthCheck, IdentitySubjects.accountResolve, IdentitySubjects.accountState, IdentitySubjects.auditAppend],
    publishes: [],
    // Delivery catches up with an account enabled again.
    listens: [IdentityEvents.principalChanged],
  },
  reaper: {
    serves: Object.values(ReaperSubjects),
    sends: [ReaperSubjects.healthCheck, CredentialsSubjects.accountPurge, IdentitySubjects.accountListDeleting, IdentitySubjects.accountRemove],
    publishes: [],
    listens: [],
  },
  gateway: {
    serves: [],
    sends: [
      ...Object.values(IdentitySubjects).filter(
        (subject) => !([IdentitySubjects.accountListDeleting, IdentitySubjects.accountRemove, IdentitySubjects.accountState] as string[]).includes(subject),
      ),
      ...Object.values(CredentialsSubjects).filter((subject) => subject !== CredentialsSubjects.accountPurge),
      ReaperSubjects.jobGet,
    ],
    publishes: [],
    listens: [IdentityEvents.principalChanged],
  },
};

/** The inbox a service's connections receive their replies on: `_INBOX_<service>.<random>.<n>`. */
export function inboxPrefixOf(user: BusUser): string {
  return `_INBOX_${user}`;
}
