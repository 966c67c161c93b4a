import { CREDENTIAL_FIELDS, StoredCredentialType } from '@keyward/domain';
import { CliError } from '../http/errors';
import { type Input } from '../input/input';

/** The material options of `credential create`; secret ones may be `-` (stdin) or left out (asked for). */
export interface MaterialOptions {
  url?: string;
  username?: string;
  password?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  existingSecret?: string;
}

export type Material = { values: Record<string, string> } | { existingSecret: string };

type ValueOption = Exclude<keyof MaterialOptions, 'existingSecret'>;

const FLAGS: Record<ValueOption, string> = {
  url: '--url',
  username: '--username',
  password: '--password',
  accessKeyId: '--access-key-id',
  secretAccessKey: '--secret-access-key',
};

function givenValueOptions(options: MaterialOptions): ValueOption[] {
  return (Object.keys(FLAGS) as ValueOption[]).filter((option) => options[option] !== undefined);
}

/**
 * What a new credential holds: an existing secret (`--existing-secret ns/name`), or the values its
 * type needs, the secret one read from stdin (`-`) or asked for when not given. Options that do
 * not belong to the type are refused rather than ignored.
 */
export async function credentialMaterial(type: StoredCredentialType, options: MaterialOptions, input: Input): Promise<Material> {
  const given = givenValueOptions(options);
  if (options.existingSecret !== undefined) {
    if (given.length > 0) {
      throw new CliError(`--existing-secret takes no values: leave out ${given.map((option) => FLAGS[option]).join(', ')}`);
    }
    return { existingSecret: options.existingSecret };
  }
  if (type === StoredCredentialType.KubernetesSecret) {
    throw new CliError('A kubernetes-secret credential uses an existing secret: pass --existing-secret <namespace>/<name>');
  }
  // Each value's option is named after its field in the API: accessKeyId is --access-key-id.
  const fields = CREDENTIAL_FIELDS[type].map(({ field, secret }) => ({ field, option: field as ValueOption, secret }));
  const foreign = given.filter((option) => !fields.some((f) => f.option === option));
  if (foreign.length > 0) {
    throw new CliError(
      `${foreign.map((option) => FLAGS[option]).join(', ')}: not a value of ${type} (it takes ${fields.map((f) => FLAGS[f.option]).join(', ')})`,
    );
  }
  const values: Record<string, string> = {};
  for (const { field, option, secret } of fields) {
    const value = options[option];
    if (secret) {
      values[field] = await input.value(value, `${type} ${FLAGS[option].slice(2)}`);
    } else if (value === undefined) {
      throw new CliError(`${FLAGS[option]} is required for ${type}`);
    } else {
      values[field] = value;
    }
  }
  return { values };
}
