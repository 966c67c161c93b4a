import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const ALGORITHM = 'aes-256-gcm';
const FORMAT = 'kw1';
const NONCE_BYTES = 12;

export class KeyRingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyRingError';
  }
}

/**
 * AES-256-GCM under versioned keys. The first key seals; every key opens what it sealed, so old
 * keys can stay until rotation has re-sealed their records. Each value is bound to the record it
 * belongs to through the additional authenticated data: ciphertext moved to another record, or
 * changed by one bit, does not open.
 *
 * Sealed form: `kw1.<keyId>.<nonce>.<ciphertext>.<tag>` (base64url parts).
 */
export class KeyRing {
  private constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    readonly activeKeyId: string,
    /** The variable the ring came from, named in errors (credentials' KEYWARD_MASTER_KEYS, identity's KEYWARD_TOKEN_KEYS). */
    readonly variable: string,
  ) {}

  /** Parses a key ring, `id:base64key[,id:base64key...]`, the first one active; errors name `variable`. */
  static parse(spec: string, variable = 'KEYWARD_MASTER_KEYS'): KeyRing {
    const keys = new Map<string, Buffer>();
    const entries = spec
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    if (entries.length === 0) {
      throw new KeyRingError(`${variable} is empty: give at least one key as id:base64key (32 bytes)`);
    }
    for (const entry of entries) {
      const separator = entry.indexOf(':');
      const id = entry.slice(0, separator);
      if (separator <= 0 || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
        throw new KeyRingError(`${variable}: each key must be id:base64key, the id 1 to 32 letters, digits, - or _`);
      }
      const key = Buffer.from(entry.slice(separator + 1), 'base64');
      if (key.length !== 32) {
        throw new KeyRingError(`${variable}: key ${id} must be 32 bytes encoded in base64 (it is ${key.length})`);
      }
      if (keys.has(id)) {
        throw new KeyRingError(`${variable}: key id ${id} appears twice`);
      }
      keys.set(id, key);
    }
    return new KeyRing(keys, entries[0]?.slice(0, entries[0].indexOf(':')) ?? '', variable);
  }

  /** A new random key in the form a key ring takes. */
  static generateKeySpec(id: string): string {
    return `${id}:${randomBytes(32).toString('base64')}`;
  }

  seal(plaintext: string, context: string): string {
    const key = this.keys.get(this.activeKeyId);
    if (!key) {
      throw new KeyRingError('No active key');
    }
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, nonce);
    cipher.setAAD(Buffer.from(`${this.activeKeyId}\u0000${context}`));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [nonce, ciphertext, cipher.getAuthTag()].map((part) => part.toString('base64url'));
    return [FORMAT, this.activeKeyId, ...parts].join('.');
  }

  open(sealed: string, context: string): string {
    const [format, keyId, nonce, ciphertext, tag, ...rest] = sealed.split('.');
    if (format !== FORMAT || !keyId || nonce === undefined || ciphertext === undefined || tag === undefined || rest.length > 0) {
      throw new KeyRingError('Sealed value is malformed');
    }
    const key = this.keys.get(keyId);
    if (!key) {
      throw new KeyRingError(`Sealed under key ${keyId}, which is not in ${this.variable}`);
    }
    try {
      const decipher = createDecipheriv(ALGORITHM, key, Buffer.from(nonce, 'base64url'));
      decipher.setAAD(Buffer.from(`${keyId}\u0000${context}`));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new KeyRingError('Sealed value does not authenticate: it was altered, or belongs to another record');
    }
  }

  has(keyId: string): boolean {
    return this.keys.has(keyId);
  }

  static keyIdOf(sealed: string): string | undefined {
    return sealed.split('.')[1];
  }

  isActive(sealed: string): boolean {
    return KeyRing.keyIdOf(sealed) === this.activeKeyId;
  }
}
