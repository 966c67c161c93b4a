import { PasswordHasher } from './password-hasher';

describe(PasswordHasher.name, () => {
  let sut: PasswordHasher;

  beforeAll(async () => {
    sut = new PasswordHasher();
    await sut.onModuleInit();
  });

  it('hashes with argon2id at OWASP settings and never keeps the password', async () => {
    const hash = await sut.hash('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(hash).not.toContain('correct horse');
  });

  it('salts: the same password hashes differently each time', async () => {
    expect(await sut.hash('same password')).not.toBe(await sut.hash('same password'));
  });

  it('verifies the right password and refuses a wrong one', async () => {
    const hash = await sut.hash('s3cret-pass');
    expect(await sut.verify(hash, 's3cret-pass')).toBe(true);
    expect(await sut.verify(hash, 's3cret-pasS')).toBe(false);
  });

  it('refuses when there is no hash, after doing the same work', async () => {
    expect(await sut.verify(null, 'anything')).toBe(false);
  });

  it('refuses a malformed hash instead of throwing', async () => {
    expect(await sut.verify('not-a-hash', 'anything')).toBe(false);
  });
});
