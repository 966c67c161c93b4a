import { type CredentialView, type UserView } from '@keyward/contracts';
import { toRfc3339 } from '@keyward/nest-common';
import { type PasswordCredentialEntity } from './password-credential.entity';
import { type UserEntity } from './user.entity';

/** Fixed-width mask: unlike Anchore's one star per character, it says nothing about the length. */
export const MASKED_VALUE = '********';

export function toUserView(user: UserEntity): UserView {
  return {
    username: user.username,
    type: user.type,
    source: user.source,
    created_at: toRfc3339(user.createdAt),
    last_updated: toRfc3339(user.lastUpdated),
  };
}

export function toCredentialView(credential: PasswordCredentialEntity): CredentialView {
  return { type: credential.type, value: MASKED_VALUE, created_at: toRfc3339(credential.createdAt) };
}
