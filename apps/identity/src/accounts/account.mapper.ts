import { type AccountStatusView, type AccountView } from '@keyward/contracts';
import { toRfc3339 } from '@keyward/nest-common';
import { type AccountEntity } from './account.entity';

export function toAccountView(account: AccountEntity): AccountView {
  return {
    name: account.name,
    email: account.email,
    type: account.type,
    state: account.state,
    created_at: toRfc3339(account.createdAt),
    last_updated: toRfc3339(account.lastUpdated),
  };
}

export function toAccountStatusView(account: AccountEntity): AccountStatusView {
  return { state: account.state };
}
