/**
 * Every NATS subject Keyward uses, written once. Subject names are a public contract between
 * services of different versions: renaming one needs a migration plan (serve both names for a
 * release), never a plain edit.
 *
 * Requests are `<service>.<entity>.<verb>`; events are `<service>.<entity>.<past-tense>`.
 */
export const IdentitySubjects = {
  authVerify: 'identity.auth.verify',
  healthCheck: 'identity.health.check',
  accountList: 'identity.account.list',
  accountCreate: 'identity.account.create',
  accountGet: 'identity.account.get',
  accountResolve: 'identity.account.resolve',
  /** For the reaper: every account in `deleting`. */
  accountListDeleting: 'identity.account.list-deleting',
  /** For the reaper: remove the record of an account in `deleting` once nothing else is left. */
  accountRemove: 'identity.account.remove',
  accountUpdateState: 'identity.account.update-state',
  /** For services: an account's state by id, asked before a write into it and before a purge. */
  accountState: 'identity.account.state',
  accountDelete: 'identity.account.delete',
  userList: 'identity.user.list',
  userCreate: 'identity.user.create',
  userGet: 'identity.user.get',
  userDelete: 'identity.user.delete',
  credentialList: 'identity.credential.list',
  credentialSet: 'identity.credential.set',
  credentialDelete: 'identity.credential.delete',
  /** The admin view: users across accounts, with their roles. */
  userListAll: 'identity.user.list-all',
  userSetRoles: 'identity.user.set-roles',
  /** API tokens and console sessions (a session is a short-lived token of kind `session`). */
  tokenCreate: 'identity.token.create',
  tokenList: 'identity.token.list',
  tokenRevoke: 'identity.token.revoke',
  /** Every API token and session of one user, revoked at once (administrators). */
  userTokensRevoke: 'identity.user.revoke-tokens',
  /** A bearer token: its id and secret, answered with the principal it acts as. */
  tokenVerify: 'identity.token.verify',
  /** A signed request: identity computes the HMAC with the sealed secret and records the signature. */
  tokenVerifySignature: 'identity.token.verify-signature',
  /** Records of changes, appended to the hash-chained audit log (from the gateway and the services' commands). */
  auditAppend: 'identity.audit.append',
  /** The audit log, filtered and paged (administrators, superusers and staff). */
  auditList: 'identity.audit.list',
} as const;

export const CredentialsSubjects = {
  healthCheck: 'credentials.health.check',
  projectCreate: 'credentials.project.create',
  projectList: 'credentials.project.list',
  projectGet: 'credentials.project.get',
  projectUpdate: 'credentials.project.update',
  projectDelete: 'credentials.project.delete',
  credentialCreate: 'credentials.credential.create',
  credentialList: 'credentials.credential.list',
  credentialListEffective: 'credentials.credential.list-effective',
  credentialGet: 'credentials.credential.get',
  credentialUpdate: 'credentials.credential.update',
  credentialDelete: 'credentials.credential.delete',
  credentialExport: 'credentials.credential.export',
  secretCreate: 'credentials.secret.create',
  secretList: 'credentials.secret.list',
  secretDelete: 'credentials.secret.delete',
  /** The reaper's contract: delete a batch of an account's resources, answer what is left. */
  accountPurge: 'credentials.account.purge',
} as const;

export const ReaperSubjects = {
  jobGet: 'reaper.job.get',
  healthCheck: 'reaper.health.check',
} as const;

export const IdentityEvents = {
  /** Published after any change that may invalidate a cached principal (password, state, deletion). */
  principalChanged: 'identity.principal.changed',
  /** Written to the outbox when an account enters `deleting`; relayed to JetStream for the reaper. */
  accountDeleting: 'identity.account.deleting',
  /** Written to the outbox when the account record is finally removed. */
  accountDeleted: 'identity.account.deleted',
} as const;

/**
 * The JetStream stream that carries events which must not be lost (the outbox relay publishes to
 * it). Its name follows the subject prefix, so test runs and deployments sharing a server each
 * have their own.
 */
export function eventStreamName(prefix = process.env['KEYWARD_NATS_PREFIX']): string {
  return prefix ? `KEYWARD_EVENTS_${prefix}` : 'KEYWARD_EVENTS';
}

/** The durable consumer through which reapers share the deletion events. */
export const REAPER_CONSUMER = 'reaper';

export type IdentitySubject = (typeof IdentitySubjects)[keyof typeof IdentitySubjects];
export type CredentialsSubject = (typeof CredentialsSubjects)[keyof typeof CredentialsSubjects];
export type ReaperSubject = (typeof ReaperSubjects)[keyof typeof ReaperSubjects];

/**
 * The subject as sent on the wire. `KEYWARD_NATS_PREFIX` puts a whole deployment (or a test run)
 * in its own subject space on a shared NATS server; unset, subjects are used as written.
 */
export function wireSubject(name: string, prefix = process.env['KEYWARD_NATS_PREFIX']): string {
  return prefix ? `${prefix}.${name}` : name;
}
