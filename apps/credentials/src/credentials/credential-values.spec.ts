import { StoredCredentialType } from '@keyward/domain';
import { maskedValues, publicValues, validateValues } from './credential-values';

describe(validateValues.name, () => {
  it('accepts exactly the fields of the type', () => {
    expect(validateValues(StoredCredentialType.AccessKey, { accessKeyId: 'AKIA', secretAccessKey: 'shh' })).toEqual({
      accessKeyId: 'AKIA',
      secretAccessKey: 'shh',
    });
  });

  it('names a missing, empty, unknown or oversized field', () => {
    expect(() => validateValues(StoredCredentialType.Password, { username: 'u' })).toThrow('Invalid field values.password');
    expect(() => validateValues(StoredCredentialType.Password, { username: '', password: 'p' })).toThrow('Invalid field values.username');
    expect(() => validateValues(StoredCredentialType.Password, { username: 'u', password: 'p', token: 't' })).toThrow('Invalid field values.token');
    expect(() => validateValues(StoredCredentialType.Password, { username: 'u', password: 'p'.repeat(4097) })).toThrow('at most 4096');
  });
});

describe(maskedValues.name, () => {
  it('shows public fields and masks secret ones', () => {
    const shown = publicValues(StoredCredentialType.DockerRegistry, { url: 'r.test', username: 'robot', password: 'never-shown' });
    expect(shown).toEqual({ url: 'r.test', username: 'robot' });
    expect(maskedValues(StoredCredentialType.DockerRegistry, shown)).toEqual({ url: 'r.test', username: 'robot', password: '********' });
    expect(maskedValues(StoredCredentialType.KubernetesSecret, null)).toBeNull();
  });
});
