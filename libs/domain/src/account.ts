export enum AccountType {
  Admin = 'admin',
  User = 'user',
  Service = 'service',
}

export enum AccountState {
  Enabled = 'enabled',
  Disabled = 'disabled',
  Deleting = 'deleting',
}

export enum UserType {
  Native = 'native',
}

export enum CredentialType {
  Password = 'password',
}

/** The account every installation starts with; its users may do everything. */
export const ADMIN_ACCOUNT_NAME = 'admin';
export const ADMIN_USERNAME = 'admin';

/** The hidden account that Keyward's own services act as. Never listed, never deletable. */
export const SYSTEM_ACCOUNT_NAME = 'keyward-system';
export const SYSTEM_USERNAME = 'keyward-system';

/** Names no new account may take: the two built-in accounts and the global resource domain. */
export const RESERVED_ACCOUNT_NAMES: readonly string[] = ['system', 'anchore-system', SYSTEM_ACCOUNT_NAME, ADMIN_ACCOUNT_NAME];

/** Users that cannot be deleted, whoever asks. */
export const DELETE_PROTECTED_USERNAMES: readonly string[] = [SYSTEM_USERNAME, ADMIN_USERNAME];
