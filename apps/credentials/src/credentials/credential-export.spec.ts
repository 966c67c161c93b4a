import { ExportFormat, StoredCredentialType } from '@keyward/domain';
import { renderExport } from './credential-export';

const registry = {
  name: 'pull',
  type: StoredCredentialType.DockerRegistry,
  material: { url: 'registry.example.test', username: 'robot', password: "pa'ss" },
  secretType: null,
  namespace: 'keyward-team',
};

describe(renderExport.name, () => {
  it('renders a docker config with the basic auth token', () => {
    const { contentType, content } = renderExport(registry, ExportFormat.DockerConfigJson);
    expect(contentType).toBe('application/json');
    expect(JSON.parse(content)).toEqual({
      auths: { 'registry.example.test': { username: 'robot', password: "pa'ss", auth: Buffer.from("robot:pa'ss").toString('base64') } },
    });
  });

  it('refuses a docker config for other types', () => {
    expect(() => renderExport({ ...registry, type: StoredCredentialType.Password }, ExportFormat.DockerConfigJson)).toThrow(/only for docker-registry/);
  });

  it('renders a Kubernetes secret manifest of the matching type, base64-encoded', () => {
    const manifest = JSON.parse(
      renderExport(
        { ...registry, type: StoredCredentialType.AccessKey, material: { accessKeyId: 'AKIA', secretAccessKey: 'shh' } },
        ExportFormat.KubernetesSecret,
      ).content,
    ) as { type: string; metadata: { name: string; namespace: string }; data: Record<string, string> };
    expect(manifest.type).toBe('Opaque');
    expect(manifest.metadata).toEqual({ name: 'pull', namespace: 'keyward-team' });
    expect(manifest.data).toEqual({ AWS_ACCESS_KEY_ID: Buffer.from('AKIA').toString('base64'), AWS_SECRET_ACCESS_KEY: Buffer.from('shh').toString('base64') });
  });

  it('renders env lines quoted for a shell, with names made safe', () => {
    expect(renderExport(registry, ExportFormat.Env).content).toBe(
      "DOCKER_REGISTRY_URL='registry.example.test'\nDOCKER_USERNAME='robot'\nDOCKER_PASSWORD='pa'\\''ss'\n",
    );
    const secret = { ...registry, type: StoredCredentialType.KubernetesSecret, material: { 'api.key': 'k', '9lives': 'v' }, secretType: 'Opaque' };
    expect(renderExport(secret, ExportFormat.Env).content).toBe("API_KEY='k'\n_9LIVES='v'\n");
  });
});
