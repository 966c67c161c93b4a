import { DomainError, ErrorCode, ExportFormat, StoredCredentialType } from '@keyward/domain';

export interface ExportInput {
  name: string;
  type: StoredCredentialType;
  /** The credential's values, or the existing secret's data. */
  material: Record<string, string>;
  secretType: string | null;
  namespace: string;
}

export interface RenderedExport {
  contentType: string;
  content: string;
}

const b64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');

function dockerConfig(material: Record<string, string>): string {
  const { url = '', username = '', password = '' } = material;
  return JSON.stringify({ auths: { [url]: { username, password, auth: b64(`${username}:${password}`) } } });
}

/**
 * The Secret type and key/value pairs a workload receives, by type: what an export renders and
 * what delivery writes into a namespace.
 */
export function secretData(input: Pick<ExportInput, 'type' | 'material' | 'secretType'>): { type: string; data: Record<string, string> } {
  switch (input.type) {
    case StoredCredentialType.DockerRegistry:
      return { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': dockerConfig(input.material) } };
    case StoredCredentialType.AccessKey:
      return {
        type: 'Opaque',
        data: { AWS_ACCESS_KEY_ID: input.material['accessKeyId'] ?? '', AWS_SECRET_ACCESS_KEY: input.material['secretAccessKey'] ?? '' },
      };
    case StoredCredentialType.Password:
      return { type: 'Opaque', data: { username: input.material['username'] ?? '', password: input.material['password'] ?? '' } };
    case StoredCredentialType.KubernetesSecret:
      return { type: input.secretType ?? 'Opaque', data: input.material };
    default: {
      const unreachable: never = input.type;
      throw new Error(`Unknown credential type ${String(unreachable)}`);
    }
  }
}

function envName(key: string): string {
  return key
    .replace(/[^A-Za-z0-9]/g, '_')
    .replace(/^(\d)/, '_$1')
    .toUpperCase();
}

function envValue(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function renderExport(input: ExportInput, format: ExportFormat): RenderedExport {
  switch (format) {
    case ExportFormat.DockerConfigJson: {
      if (input.type !== StoredCredentialType.DockerRegistry) {
        throw new DomainError(ErrorCode.ValidationFailed, 'Invalid field format: dockerconfigjson is only for docker-registry credentials', {
          field: 'format',
        });
      }
      return { contentType: 'application/json', content: dockerConfig(input.material) };
    }
    case ExportFormat.KubernetesSecret: {
      const { type, data } = secretData(input);
      const manifest = {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: input.name, namespace: input.namespace },
        type,
        data: Object.fromEntries(Object.entries(data).map(([key, value]) => [key, b64(value)])),
      };
      return { contentType: 'application/json', content: JSON.stringify(manifest) };
    }
    case ExportFormat.Env: {
      const { data } = secretData(input);
      const pairs =
        input.type === StoredCredentialType.DockerRegistry
          ? {
              DOCKER_REGISTRY_URL: input.material['url'] ?? '',
              DOCKER_USERNAME: input.material['username'] ?? '',
              DOCKER_PASSWORD: input.material['password'] ?? '',
            }
          : Object.fromEntries(Object.entries(data).map(([key, value]) => [envName(key), value]));
      return {
        contentType: 'text/plain',
        content:
          Object.entries(pairs)
            .map(([key, value]) => `${key}=${envValue(value)}`)
            .join('\n') + '\n',
      };
    }
    default: {
      const unreachable: never = format;
      throw new Error(`Unknown export format ${String(unreachable)}`);
    }
  }
}
