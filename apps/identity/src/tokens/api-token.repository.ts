import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type TokenKind } from '@keyward/contracts';
import { type AccountState, type AccountType } from '@keyward/domain';
import { PreparedStatement } from '@keyward/nest-common';
import { DataSource } from 'typeorm';

/** A token with its user and account, as listed and as checked. */
export interface ApiTokenRow {
  id: string;
  kind: TokenKind;
  name: string;
  secret_sealed: string | null;
  read_only: boolean;
  created_at: Date;
  expires_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  username: string;
  superuser: boolean;
  staff: boolean;
  account_id: string;
  account_name: string;
  account_type: AccountType;
  account_state: AccountState;
  /** Judged by the database's clock, the one clock every token check uses. */
  expired: boolean;
  /** The database's time of the check: signing times are judged against it, never a process clock. */
  checked_at: Date;
  total?: string;
}

export interface NewApiToken {
  id: string;
  userId: string;
  kind: TokenKind;
  name: string;
  secretSealed: string;
  readOnly: boolean;
  expiresAt: Date;
}

export interface ApiTokenFilter {
  kind: TokenKind;
  /** Tokens of one user; else of every user of a visible account. */
  username?: string;
  account?: string;
}

const COLUMNS = `t.id, t.kind, t.name, t.secret_sealed, t.read_only, t.created_at, t.expires_at, t.expires_at <= now() AS expired, now() AS checked_at, t.last_used_at, t.revoked_at,
  u.username, u.superuser, u.staff, a.id AS account_id, a.name AS account_name, a.type AS account_type, a.state AS account_state`;
const FROM = `identity.api_tokens t JOIN identity.users u ON u.id = t.user_id JOIN identity.accounts a ON a.id = u.account_id`;

/** A token check, on the path of every bearer request the gateway has not cached. */
const FIND = new PreparedStatement<ApiTokenRow>('identity.token.find', `SELECT ${COLUMNS} FROM ${FROM} WHERE t.id = $1`);

/** A signed request's one statement (see `findAndRecordSignature`). */
const FIND_AND_RECORD_SIGNATURE = new PreparedStatement<ApiTokenRow & { fresh: boolean }>(
  'identity.token.find-and-record-signature',
  `WITH token AS (SELECT ${COLUMNS} FROM ${FROM} WHERE t.id = $1),
   fresh AS (
     INSERT INTO identity.signature_replays (signature, expires_at)
     SELECT $2, $3 FROM token WHERE token.revoked_at IS NULL AND token.secret_sealed IS NOT NULL AND NOT token.expired
     ON CONFLICT DO NOTHING RETURNING 1
   )
   SELECT token.*, EXISTS (SELECT 1 FROM fresh) AS fresh FROM token`,
);

/** `last_used_at` is written at most this often per token, so checks stay reads. */
const LAST_USED_GRANULARITY = `interval '60 seconds'`;

@Injectable()
export class ApiTokenRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The ids of the keys token secrets are sealed under. */
  async sealingKeyIds(): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT split_part(secret_sealed, '.', 2) AS key_id FROM identity.api_tokens WHERE secret_sealed IS NOT NULL`,
    )) as Array<{ key_id: string }>;
    return rows.map((row) => row.key_id);
  }

  async insert(token: NewApiToken): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO identity.api_tokens (id, user_id, kind, name, secret_sealed, read_only, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [token.id, token.userId, token.kind, token.name, token.secretSealed, token.readOnly, token.expiresAt],
    );
  }

  /** The token with its user and account, in one query; revoked and expired ones too. */
  async find(id: string): Promise<ApiTokenRow | null> {
    const rows = await FIND.run(this.dataSource, [id]);
    return rows[0] ?? null;
  }

  /** Live tokens (neither revoked nor expired), newest first, one page, with the total. */
  async listLive(filter: ApiTokenFilter, limit: number, offset: number): Promise<ApiTokenRow[]> {
    const where = [`t.kind = $1`, `t.revoked_at IS NULL`, `t.expires_at > now()`, `a.type <> 'service'`];
    const params: unknown[] = [filter.kind];
    if (filter.username !== undefined) {
      params.push(filter.username);
      where.push(`u.username = $${params.length}`);
    }
    if (filter.account !== undefined) {
      params.push(filter.account);
      where.push(`a.name = $${params.length}`);
    }
    params.push(limit, offset);
    return (await this.dataSource.query(
      `SELECT ${COLUMNS}, count(*) OVER () AS total FROM ${FROM}
        WHERE ${where.join(' AND ')}
        ORDER BY t.created_at DESC, t.id LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    )) as ApiTokenRow[];
  }

  /**
   * Revokes a live token and wipes its sealed secret. With `username`, only that user's token;
   * with `kind`, only a token of that kind.
   * Answers the owner's username, or null when there was no such live token.
   */
  async revoke(id: string, username?: string, kind?: TokenKind): Promise<string | null> {
    const [rows] = (await this.dataSource.query(
      `UPDATE identity.api_tokens t SET revoked_at = now(), secret_sealed = NULL
         FROM identity.users u
        WHERE u.id = t.user_id AND t.id = $1 AND t.revoked_at IS NULL AND ($2::text IS NULL OR u.username = $2) AND ($3::text IS NULL OR t.kind = $3)
        RETURNING u.username`,
      [id, username ?? null, kind ?? null],
    )) as [Array<{ username: string }>, number];
    return rows[0]?.username ?? null;
  }

  /** Ends every live token of the given kinds of a user (sessions when its password changes); answers their ids. */
  async revokeAllOf(userId: string, kinds: readonly TokenKind[]): Promise<string[]> {
    const [rows] = (await this.dataSource.query(
      `UPDATE identity.api_tokens SET revoked_at = now(), secret_sealed = NULL
        WHERE user_id = $1 AND kind = ANY($2::text[]) AND revoked_at IS NULL
        RETURNING id`,
      [userId, kinds],
    )) as [Array<{ id: string }>, number];
    return rows.map((row) => row.id);
  }

  /**
   * A signed request's one statement: reads the token (as `find`) and, when it is live, records
   * the signature until `expiresAt` (`fresh`: false when it was recorded before, on any replica:
   * the primary key decides). The caller checks the signature afterwards and calls
   * `forgetSignature` when it does not match, so a forged request holds no signature back.
   */
  async findAndRecordSignature(id: string, signature: string, expiresAt: Date): Promise<(ApiTokenRow & { fresh: boolean }) | null> {
    const rows = await FIND_AND_RECORD_SIGNATURE.run(this.dataSource, [id, signature, expiresAt]);
    return rows[0] ?? null;
  }

  /** Takes back a signature recorded by `findAndRecordSignature` that turned out not to match. */
  async forgetSignature(signature: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM identity.signature_replays WHERE signature = $1`, [signature]);
  }

  async touch(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE identity.api_tokens SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - ${LAST_USED_GRANULARITY})`,
      [id],
    );
  }

  /** Forgets signatures whose window has passed: they would be refused as stale anyway. */
  async pruneSignatures(): Promise<number> {
    const [, count] = (await this.dataSource.query(`DELETE FROM identity.signature_replays WHERE expires_at < now()`)) as [unknown, number];
    return count;
  }

  /** Removes revoked and expired tokens older than `days`, so the table does not grow forever. */
  async pruneEnded(days: number): Promise<void> {
    await this.dataSource.query(`DELETE FROM identity.api_tokens WHERE coalesce(revoked_at, expires_at) < now() - make_interval(days => $1)`, [days]);
  }
}
