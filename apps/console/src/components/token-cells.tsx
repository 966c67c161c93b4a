import { type TokenView } from '../api/types';
import { Time } from './time';

/** The columns of a token list; with `owners`, whose token each is. */
export function tokenColumns(owners: boolean): string[] {
  return ['Name', ...(owners ? ['User', 'Account'] : []), 'Access', 'Created', 'Expires', 'Last used'];
}

/** A token's cells under `tokenColumns`: its name and public id, never its secret part. */
export function TokenCells({ token, owners }: { token: TokenView; owners: boolean }) {
  return (
    <>
      <th scope="row">
        {token.name}
        <span className="muted block">
          <code>kwt_{token.id}_…</code>
        </span>
      </th>
      {owners && (
        <>
          <td>{token.username}</td>
          <td>{token.account}</td>
        </>
      )}
      <td>{token.readOnly ? 'Read-only' : 'Read and write'}</td>
      <td>
        <Time value={token.created_at} />
      </td>
      <td>
        <Time value={token.expires_at} />
      </td>
      <td>
        <Time value={token.last_used_at} empty="Never" />
      </td>
    </>
  );
}
