import { TokenKind } from '@keyward/contracts';
import {
  AccountState,
  AccountType,
  computeSignature,
  DomainError,
  ErrorCode,
  formatSigningTimestamp,
  SIGNATURE_MAX_SKEW_SECONDS,
  SIGNING_ALGORITHM,
} from '@keyward/domain';
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
  const tokens = {
    find: jest.fn(async () => ({ ...row })),
    findAndRecordSignature: jest.fn(async (): Promise<(ApiTokenRow & { fresh: boolean }) | null> => ({ ...row, fresh: true })),
    forgetSignature: jest.fn(async (_signature: string) => undefined),
    touch: jest.fn(async (_id: string) => undefined),
  };
  const throttle = {
    assertAllowed: jest.fn(async () => undefined),
    recordFailure: jest.fn(async (_key: string, _address: string, _options?: { refuseOver?: boolean }) => undefined),
  };
  const verifier = new TokenVerifier(tokens as unknown as ApiTokenRepository, ring, throttle as unknown as LoginThrottle);
  return { verifier, open, tokens, row, ring, throttle };
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
    expect(tokens.findAndRecordSignature).toHaveBeenCalledTimes(5);
    expect(tokens.find).not.toHaveBeenCalled();
    await expect(verifier.verifySignature(signed('another-secret', 9))).rejects.toMatchObject({ code: ErrorCode.BadSignature });
  });

  it('records each signature in the statement that reads the token, with a window that outlasts the allowed skew', async () => {
    const { verifier, tokens } = setUp();
    const request = signed(SECRET, 1);
    await verifier.verifySignature(request);
    const [id, signature, windowEnds] = tokens.findAndRecordSignature.mock.calls[0] as unknown as [string, string, Date];
    expect([id, signature]).toEqual([TOKEN_ID, request.signature]);
    const signedAt = Date.parse(request.timestamp.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'));
    expect(windowEnds.getTime() - signedAt).toBeGreaterThan(SIGNATURE_MAX_SKEW_SECONDS * 1000);
  });

  it('takes back the record of a signature that does not match, so a forged request holds no real one back', async () => {
    const { verifier, tokens } = setUp();
    const forged = signed('another-secret', 2);
    await expect(verifier.verifySignature(forged)).rejects.toMatchObject({ code: ErrorCode.BadSignature });
    expect(tokens.forgetSignature).toHaveBeenCalledWith(forged.signature);
    // Not taken back when this request did not record it (a replay of a forged one).
    tokens.findAndRecordSignature.mockImplementationOnce(async () => ({ ...(await tokens.find()), fresh: false }));
    await expect(verifier.verifySignature(forged)).rejects.toMatchObject({ code: ErrorCode.BadSignature });
    expect(tokens.forgetSignature).toHaveBeenCalledTimes(1);
  });

  it('checks the token before the throttle: a right signature costs no throttle read, a wrong one is counted and answers 429 past the limit', async () => {
    const { verifier, throttle } = setUp();
    await verifier.verifySignature(signed(SECRET, 1));
    expect(throttle.assertAllowed).not.toHaveBeenCalled();
    expect(throttle.recordFailure).not.toHaveBeenCalled();
    await expect(verifier.verifySignature(signed('wrong', 2))).rejects.toMatchObject({ code: ErrorCode.BadSignature });
    expect(throttle.recordFailure).toHaveBeenCalledWith(`token:${TOKEN_ID}`, '127.0.0.1', { refuseOver: true });
    throttle.recordFailure.mockRejectedValueOnce(new DomainError(ErrorCode.TooManyLoginAttempts, 'Too many failed login attempts. Try again in 30 seconds.'));
    await expect(verifier.verifySignature(signed('wrong', 3))).rejects.toMatchObject({ code: ErrorCode.TooManyLoginAttempts });
    // A malformed request is no guess at the secret: not counted.
    await expect(verifier.verifySignature({ ...signed(SECRET, 4), stringToSign: 'nonsense' })).rejects.toMatchObject({ code: ErrorCode.MalformedSignature });
    expect(throttle.recordFailure).toHaveBeenCalledTimes(2);
  });

  it('notes a token’s use after a verified signature at most once a minute, never after a failed one', async () => {
    const { verifier, tokens } = setUp();
    await expect(verifier.verifySignature(signed('wrong', 1))).rejects.toMatchObject({ code: ErrorCode.BadSignature });
    expect(tokens.touch).not.toHaveBeenCalled();
    for (let n = 2; n < 6; n += 1) await verifier.verifySignature(signed(SECRET, n));
    expect(tokens.touch).toHaveBeenCalledTimes(1);
    expect(tokens.touch).toHaveBeenCalledWith(TOKEN_ID);
  });

  it('never answers from memory once the row no longer holds that sealed secret (revoked or re-sealed)', async () => {
    const { verifier, open, tokens, row, ring } = setUp();
    await verifier.verifySignature(signed(SECRET, 1));
    tokens.findAndRecordSignature.mockResolvedValueOnce({ ...row, secret_sealed: null, revoked_at: new Date(), fresh: false });
    await expect(verifier.verifySignature(signed(SECRET, 2))).rejects.toMatchObject({ code: ErrorCode.RevokedToken });
    // Re-sealed under the same key ring (a rotation): opened again, from the row.
    const resealed = ring.seal(SECRET, tokenContext(TOKEN_ID));
    tokens.findAndRecordSignature.mockResolvedValueOnce({ ...row, secret_sealed: resealed, fresh: true });
    await expect(verifier.verifySignature(signed(SECRET, 3))).resolves.toMatchObject({ tokenId: TOKEN_ID });
    expect(open).toHaveBeenCalledTimes(2);
  });

  it('refuses a replayed signature', async () => {
    const { verifier, tokens, row } = setUp();
    const request = signed(SECRET, 7);
    await verifier.verifySignature(request);
    tokens.findAndRecordSignature.mockResolvedValueOnce({ ...row, fresh: false });
    await expect(verifier.verifySignature(request)).rejects.toMatchObject({ code: ErrorCode.ReplayedSignature });
  });
});
