import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  canonicalPath,
  computeSignature,
  formatSigningTimestamp,
  parseSignedAuthorization,
  parseSigningTimestamp,
  parseToken,
  sha256Hex,
  signaturesMatch,
  signRequest,
  stringToSign,
} from './request-signing';

/** The values of docs/auth.md's worked example, read from the page itself. */
function workedExample() {
  const page = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'auth.md'), 'utf8');
  const example = page.slice(page.indexOf('### Worked example'));
  const pick = (pattern: RegExp): string => {
    const match = pattern.exec(example);
    if (!match?.[1]) throw new Error(`docs/auth.md's worked example lacks ${pattern.source}`);
    return match[1];
  };
  const blocks = [...example.matchAll(/```[a-z]*\n([\s\S]*?)\n```/g)].map((match) => match[1] ?? '');
  return {
    token: pick(/Token `(kwt_[0-9a-f_]+)`/),
    request: blocks[0] ?? '',
    bodyHash: pick(/body `[^`]+` is\s+`([0-9a-f]{64})`/),
    stringToSign: blocks[1] ?? '',
    signature: pick(/under the secret is\s+`([0-9a-f]{64})`/),
    header: (blocks[2] ?? '').replace(/^Authorization: /, ''),
  };
}

describe('request signing', () => {
  const example = workedExample();
  const [requestLine = '', , , body = ''] = example.request.split('\n');
  const [method = '', url = ''] = requestLine.split(' ');
  const at = new Date('2026-12-01T12:00:00Z');

  it('reproduces docs/auth.md’s worked example', () => {
    expect(sha256Hex(body)).toBe(example.bodyHash);
    const toSign = stringToSign({ method, url, body, timestamp: formatSigningTimestamp(at) });
    expect(toSign).toBe(example.stringToSign);
    expect(computeSignature(parseToken(example.token)?.secret ?? '', toSign)).toBe(example.signature);
    expect(signRequest(example.token, { method, url, body }, at)).toBe(example.header);
  });

  it('hashes the empty string when there is no body', () => {
    const toSign = stringToSign({ method: 'get', url: '/v1/account', timestamp: '20261201T120000Z' });
    expect(toSign.split('\n')).toEqual(['KEYWARD-HMAC-SHA256', '20261201T120000Z', 'GET', '/v1/account', sha256Hex('')]);
  });

  it('sorts query parameters by key, keeping the order of repeated keys and their encoding', () => {
    expect(canonicalPath('/v1/x?z=1&a=b%20c&m=2&a=a')).toBe('/v1/x?a=b%20c&a=a&m=2&z=1');
    expect(canonicalPath('/v1/x?&b&&a=')).toBe('/v1/x?a=&b');
    expect(canonicalPath('/v1/x?')).toBe('/v1/x');
    expect(canonicalPath('/v1/x')).toBe('/v1/x');
  });

  it('reads tokens and timestamps strictly', () => {
    expect(parseToken(example.token)).toEqual({ id: '3f9a2c4e8b1d7a60', secret: '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff' });
    expect(parseToken('kwt_3f9a2c4e8b1d7a60_short')).toBeUndefined();
    expect(parseToken(`${example.token}x`)).toBeUndefined();
    expect(parseSigningTimestamp('20261201T120000Z')?.toISOString()).toBe('2026-12-01T12:00:00.000Z');
    expect(parseSigningTimestamp('20261301T120000Z')).toBeUndefined();
    expect(parseSigningTimestamp('2026-12-01T12:00:00Z')).toBeUndefined();
  });

  it('parses the header and says what is malformed', () => {
    expect(parseSignedAuthorization(example.header)).toEqual({
      ok: true,
      value: { tokenId: '3f9a2c4e8b1d7a60', timestamp: '20261201T120000Z', signature: example.signature },
    });
    const reasons = [
      'KEYWARD-HMAC-SHA256 Credential=kwt_3f9a/20261201T120000Z,Signature=' + example.signature,
      'KEYWARD-HMAC-SHA256 Credential=kwt_3f9a2c4e8b1d7a60/2026-12-01,Signature=' + example.signature,
      'KEYWARD-HMAC-SHA256 Credential=kwt_3f9a2c4e8b1d7a60/20261201T120000Z,Signature=ABC',
      'KEYWARD-HMAC-SHA256 Signature=' + example.signature,
    ].map((header) => {
      const result = parseSignedAuthorization(header);
      return result.ok ? 'ok' : result.reason;
    });
    expect(reasons[0]).toMatch(/token id/);
    expect(reasons[1]).toMatch(/timestamp/);
    expect(reasons[2]).toMatch(/Signature/);
    expect(reasons[3]).toMatch(/Malformed/);
  });

  it('compares signatures without accepting a prefix or a different length', () => {
    expect(signaturesMatch(example.signature, example.signature)).toBe(true);
    expect(signaturesMatch(example.signature, example.signature.slice(0, 63))).toBe(false);
    expect(signaturesMatch(example.signature, `${example.signature.slice(0, 63)}0`)).toBe(example.signature.endsWith('0'));
  });
});
