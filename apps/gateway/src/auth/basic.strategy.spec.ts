import { basicCredentials } from './basic.strategy';

const header = (text: string, scheme = 'Basic') => `${scheme} ${Buffer.from(text, 'utf8').toString('base64')}`;

describe(basicCredentials.name, () => {
  it('splits at the first colon, so a password keeps its colons', () => {
    expect(basicCredentials(header('alice:pa:ss:word'))).toEqual({ username: 'alice', password: 'pa:ss:word' });
    expect(basicCredentials(header('admin:foobar'))).toEqual({ username: 'admin', password: 'foobar' });
  });

  it('reads the scheme in any case and UTF-8 credentials', () => {
    expect(basicCredentials(header('jörg:pässwörd', 'basic'))).toEqual({ username: 'jörg', password: 'pässwörd' });
    expect(basicCredentials(header('a:b', 'BASIC'))).toEqual({ username: 'a', password: 'b' });
  });

  it('takes nothing from another scheme, a missing part or no header', () => {
    expect(basicCredentials(undefined)).toBeUndefined();
    expect(basicCredentials(header('a:b', 'Bearer'))).toBeUndefined();
    expect(basicCredentials(header('no-colon'))).toBeUndefined();
    expect(basicCredentials(header(':password'))).toBeUndefined();
    expect(basicCredentials(header('user:'))).toBeUndefined();
    expect(basicCredentials('Basic')).toBeUndefined();
  });
});
