import { PassThrough } from 'node:stream';
import { StoredCredentialType } from '@keyward/domain';
import { Input } from '../input/input';
import { credentialMaterial } from './credential-material';

function input(text = ''): Input {
  const stdin = new PassThrough();
  stdin.end(text);
  return new Input({ stdin, stderr: new PassThrough() });
}

describe(credentialMaterial.name, () => {
  it("builds each type's values, the secret one from stdin when it is not given", async () => {
    await expect(
      credentialMaterial(StoredCredentialType.DockerRegistry, { url: 'r.example', username: 'robot', password: '-' }, input('pw\n')),
    ).resolves.toEqual({
      values: { url: 'r.example', username: 'robot', password: 'pw' },
    });
    await expect(credentialMaterial(StoredCredentialType.AccessKey, { accessKeyId: 'AKIA' }, input('key\n'))).resolves.toEqual({
      values: { accessKeyId: 'AKIA', secretAccessKey: 'key' },
    });
    await expect(credentialMaterial(StoredCredentialType.Password, { username: 'app', password: 'given' }, input())).resolves.toEqual({
      values: { username: 'app', password: 'given' },
    });
  });

  it('uses an existing secret instead, for any type, and only alone', async () => {
    await expect(credentialMaterial(StoredCredentialType.KubernetesSecret, { existingSecret: 'ns/s' }, input())).resolves.toEqual({ existingSecret: 'ns/s' });
    await expect(credentialMaterial(StoredCredentialType.Password, { existingSecret: 'ns/s', username: 'u' }, input())).rejects.toThrow(
      '--existing-secret takes no values: leave out --username',
    );
  });

  it('refuses missing and foreign options', async () => {
    await expect(credentialMaterial(StoredCredentialType.KubernetesSecret, {}, input())).rejects.toThrow('pass --existing-secret');
    await expect(credentialMaterial(StoredCredentialType.DockerRegistry, { username: 'u', password: 'p' }, input())).rejects.toThrow(
      '--url is required for docker-registry',
    );
    await expect(credentialMaterial(StoredCredentialType.AccessKey, { accessKeyId: 'a', secretAccessKey: 's', url: 'x' }, input())).rejects.toThrow(
      '--url: not a value of access-key (it takes --access-key-id, --secret-access-key)',
    );
  });
});
