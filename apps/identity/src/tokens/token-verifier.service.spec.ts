import { TokenKind } from '@keyward/contracts';
import { AccountState, AccountType, computeSignature, ErrorCode, formatSigningTimestamp, SIGNING_ALGORITHM } from '@keyward/domain';
import { KeyRing } from '@keyward/nest-common';
import { type LoginThrottle } from '../auth/login-throttle';
import { type ApiTokenRepository, type ApiTokenRow } from './api-token.repository';
import { TokenVerifier } from './token-verifier.service';
import { tokenContext } from './tokens.service';

const TOKEN_ID = '0b6f1c7e-3a52-4a43-9d1c-2f6d0c1f9a10';
const SECRET = 'the-token-secret-0123456789abcdef';

function setUp() {
  const ring = KeyRing.parse(KeyRing.generateKeySpec('k1'), 'KEYWARD_TOKEN_KEYS');
  const open = jest.spyOn(ring, 'open');
  const row: ApiTokenRow = {
    id: TOKEN_ID,
    kind: TokenKind.Api,
    name: 'ci',
    secret_sealed: ring.seal(SECRET, tokenContext(TOKEN_ID)),
    read_only: false,
    created_at: new Date(),
    expires_at: new Date(Date.now() + 3_600_000),
    last_used_at: null,
    revoked_at: null,
    username: 'alice',
    superuser: false,
    staff: false,
    account_id: '5f1d7c1e-1111-4a43-9d1c-2f6d0c1f9a10',
    account_name: 'team',
    account_type: AccountType.User,
    account_state: AccountState.Enabled,
    expired: false,
    checked_at: new Date(),
  };
  const tokens = { find: jest.fn(async () => ({ ...row })), recordSignature: jest.fn(async () => true), touch: jest.fn(async () => undefined) };
  const throttle = { assertAllowed: jest.fn(async () => undefined), recordFailure: jest.fn(async () => undefined) };
  const verifier = new TokenVerifier(tokens as unknown as ApiTokenRepository, ring, throttle as unknown as LoginThrottle);
  return { verifier, open, tokens, row, ring };
}

function signed(secret: string, n: number) {
  const timestamp = formatSigningTimestamp(new Date());
  const stringToSign = `${SIGNING_ALGORITHM}\n${timestamp}\nGET\n/v1/account\nnonce=${n}`;
  return { tokenId: TOKEN_ID, timestamp, stringToSign, signature: computeSignature(secret, stringToSign), address: '127.0.0.1' };
}

describe(TokenVerifier.name, () => {
  it('opens a token secret once for many signed requests, and checks every signature and its replay record each time', async () => {
    const { verifier, open, tokens } = setUp();
    for (let n = 0; n < 5; n += 1) {
      await expect(verifier.verifySignature(signed(SECRET, n))).resolves.toMatchObject({ username: 'alice', tokenId: TOKEN_ID });
    }
    expect(open).toHaveBeenCalledTimes(1);
    expect(tokens.find).toHaveBeenCalledTimes(5);
    expect(tokens.recordSignature).toHaveBeenCalledTimes(5);
    await expect(verifier.verifySignature(signed('another-secret', 9))).rejects.toMatchObject({ code: ErrorCode.BadSignature });
  });

  it('never answers from memory once the row no longer holds that sealed secret (revoked or re-sealed)', async () => {
    const { verifier, open, tokens, row, ring } = setUp();
    await verifier.verifySignature(signed(SECRET, 1));
    tokens.find.mockResolvedValueOnce({ ...row, secret_sealed: null, revoked_at: new Date() });
    await expect(verifier.verifySignature(signed(SECRET, 2))).rejects.toMatchObject({ code: ErrorCode.RevokedToken });
    // Re-sealed under the same key ring (a rotation): opened again, from the row.
    const resealed = ring.seal(SECRET, tokenContext(TOKEN_ID));
    tokens.find.mockResolvedValueOnce({ ...row, secret_sealed: resealed });
    await expect(verifier.verifySignature(signed(SECRET, 3))).resolves.toMatchObject({ tokenId: TOKEN_ID });
    expect(open).toHaveBeenCalledTimes(2);
  });

  it('refuses a replayed signature', async () => {
    const { verifier, tokens } = setUp();
    const request = signed(SECRET, 7);
    await verifier.verifySignature(request);
    tokens.recordSignature.mockResolvedValueOnce(false);
    await expect(verifier.verifySignature(request)).rejects.toMatchObject({ code: ErrorCode.ReplayedSignature });
  });
});
