import { KeyRing, KeyRingError } from './key-ring';

/** Properties in the manner of Vault's barrier tests. */
describe(KeyRing.name, () => {
  const k1 = KeyRing.generateKeySpec('k1');
  const k2 = KeyRing.generateKeySpec('k2');
  let sut: KeyRing;

  beforeEach(() => {
    sut = KeyRing.parse(`${k2},${k1}`);
  });

  it('seals under the first key and opens what it sealed', () => {
    const sealed = sut.seal('s3cret value', 'credential:1');
    expect(KeyRing.keyIdOf(sealed)).toBe('k2');
    expect(sut.open(sealed, 'credential:1')).toBe('s3cret value');
  });

  it('stores bytes that differ from the plaintext', () => {
    const sealed = sut.seal('s3cret value', 'credential:1');
    expect(sealed).not.toContain('s3cret');
    expect(Buffer.from(sealed.split('.')[3] ?? '', 'base64url').toString('utf8')).not.toContain('s3cret');
  });

  it('gives different ciphertexts for the same plaintext', () => {
    expect(sut.seal('same', 'credential:1')).not.toBe(sut.seal('same', 'credential:1'));
  });

  it('refuses a value with any one byte flipped', () => {
    const sealed = sut.seal('s3cret value', 'credential:1');
    const [format, keyId, nonce, ciphertext, tag] = sealed.split('.') as [string, string, string, string, string];
    for (const part of [2, 3, 4]) {
      const parts = [format, keyId, nonce, ciphertext, tag];
      const bytes = Buffer.from(parts[part] ?? '', 'base64url');
      bytes[0] = (bytes[0] ?? 0) ^ 0x01;
      parts[part] = bytes.toString('base64url');
      expect(() => sut.open(parts.join('.'), 'credential:1')).toThrow(KeyRingError);
    }
  });

  it('refuses ciphertext moved to another record', () => {
    const sealed = sut.seal('s3cret value', 'credential:1');
    expect(() => sut.open(sealed, 'credential:2')).toThrow('belongs to another record');
  });

  it('opens values sealed under an older key, and reports them for rotation', () => {
    const old = KeyRing.parse(k1).seal('legacy', 'credential:9');
    expect(sut.open(old, 'credential:9')).toBe('legacy');
    expect(sut.isActive(old)).toBe(false);
    expect(() => KeyRing.parse(k2).open(old, 'credential:9')).toThrow('not in KEYWARD_MASTER_KEYS');
  });

  it('refuses malformed key specifications with a message to act on', () => {
    expect(() => KeyRing.parse('')).toThrow(/at least one key/);
    expect(() => KeyRing.parse('k1:c2hvcnQ=')).toThrow(/32 bytes/);
    expect(() => KeyRing.parse('no-separator')).toThrow(/id:base64key/);
    expect(() => KeyRing.parse(`${k1},${k1}`)).toThrow(/twice/);
  });
});
