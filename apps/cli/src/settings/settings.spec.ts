import { join } from 'node:path';
import { type KeywardConfig } from './config-file';
import { configPath, DEFAULT_URL, normalizeUrl, resolveSettings } from './settings';

const TOKEN = `kwt_${'a'.repeat(16)}_${'b'.repeat(64)}`;
const FILE: KeywardConfig = { registry: { token: TOKEN, username: 'alice', base: 'http://keyward.example:8228' } };

describe(resolveSettings.name, () => {
  it('signs with the token file when no user or password is given, at its base URL', () => {
    const sut = resolveSettings({}, {}, FILE, '/home/a/.keyward');
    expect(sut.auth).toEqual({ kind: 'token', token: TOKEN, username: 'alice' });
    expect(sut.url).toBe('http://keyward.example:8228');
  });

  it('uses HTTP Basic when --u/--p or KEYWARD_USER/KEYWARD_PASS are given, whatever the file holds', () => {
    expect(resolveSettings({ u: 'bob', p: 'pw' }, {}, FILE, 'f').auth).toEqual({ kind: 'basic', username: 'bob', password: 'pw' });
    expect(resolveSettings({}, { KEYWARD_USER: 'carol', KEYWARD_PASS: 'pw2' }, FILE, 'f').auth).toEqual({ kind: 'basic', username: 'carol', password: 'pw2' });
    expect(resolveSettings({ u: 'bob' }, { KEYWARD_USER: 'carol', KEYWARD_PASS: 'pw2' }, FILE, 'f').auth).toEqual({
      kind: 'basic',
      username: 'bob',
      password: 'pw2',
    });
  });

  it('leaves the password to be asked for when only the user is given, and refuses a password without a user', () => {
    expect(resolveSettings({ u: 'bob' }, {}, undefined, 'f').auth).toEqual({ kind: 'basic', username: 'bob', password: undefined });
    expect(() => resolveSettings({ p: 'pw' }, {}, undefined, 'f')).toThrow('A password was given without a user');
  });

  it('has no credentials without flags, variables or file', () => {
    expect(resolveSettings({}, { KEYWARD_USER: '' }, undefined, 'f').auth).toEqual({ kind: 'none' });
  });

  it('refuses a file whose token is not one', () => {
    expect(() => resolveSettings({}, {}, { registry: { token: 'kwt_nope' } }, '/x/.keyward')).toThrow('/x/.keyward: registry.token is not a Keyward API token');
  });

  it('takes the URL from --url, else KEYWARD_URL, else the file, else the default', () => {
    expect(resolveSettings({ url: 'http://a:1' }, { KEYWARD_URL: 'http://b:2' }, FILE, 'f').url).toBe('http://a:1');
    expect(resolveSettings({}, { KEYWARD_URL: 'http://b:2' }, FILE, 'f').url).toBe('http://b:2');
    expect(resolveSettings({}, {}, undefined, 'f').url).toBe(DEFAULT_URL);
  });

  it('acts in the account of --as-account, else KEYWARD_ACCOUNT', () => {
    expect(resolveSettings({ asAccount: 'a1' }, { KEYWARD_ACCOUNT: 'a2' }, undefined, 'f').account).toBe('a1');
    expect(resolveSettings({}, { KEYWARD_ACCOUNT: 'a2' }, undefined, 'f').account).toBe('a2');
  });
});

describe(configPath.name, () => {
  it('is --config, else KEYWARD_CONFIG, else ~/.keyward', () => {
    expect(configPath({ config: '/c' }, { KEYWARD_CONFIG: '/e' }, '/home/a')).toBe('/c');
    expect(configPath({}, { KEYWARD_CONFIG: '/e' }, '/home/a')).toBe('/e');
    expect(configPath({}, {}, '/home/a')).toBe(join('/home/a', '.keyward'));
  });
});

describe(normalizeUrl.name, () => {
  it("drops a trailing slash and anchore-cli's /v1, keeps a path prefix", () => {
    expect(normalizeUrl('http://localhost:8228/v1')).toBe('http://localhost:8228');
    expect(normalizeUrl('http://localhost:8228/v1/')).toBe('http://localhost:8228');
    expect(normalizeUrl('https://gw.example/keyward/')).toBe('https://gw.example/keyward');
  });

  it('refuses what is not an http URL', () => {
    expect(() => normalizeUrl('localhost:8228')).toThrow('Not an http or https URL');
    expect(() => normalizeUrl('no url')).toThrow('Not a URL');
  });
});
