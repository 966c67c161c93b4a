import { CREDENTIAL_FIELDS, SECRET_MASK, StoredCredentialType } from '@keyward/domain';
import { invalidField } from '../fields';

type ValueType = Exclude<StoredCredentialType, StoredCredentialType.KubernetesSecret>;

/** Checks `values` against the type's fields: every field present, a non-empty string, nothing else. */
export function validateValues(type: ValueType, values: Record<string, unknown>): Record<string, string> {
  const fields = CREDENTIAL_FIELDS[type];
  const known = new Set(fields.map((f) => f.field));
  for (const key of Object.keys(values)) {
    if (!known.has(key)) {
      throw invalidField(`values.${key}`, `is not a field of ${type} (expected ${[...known].join(', ')})`);
    }
  }
  const result: Record<string, string> = {};
  for (const { field } of fields) {
    const value = values[field];
    if (typeof value !== 'string' || value.length === 0) {
      throw invalidField(`values.${field}`, `is required for ${type}: a non-empty string`);
    }
    if (value.length > 4096) {
      throw invalidField(`values.${field}`, 'must be at most 4096 characters');
    }
    result[field] = value;
  }
  return result;
}

/** The fields that may be shown: everything but the secret ones. */
export function publicValues(type: ValueType, values: Record<string, string>): Record<string, string> {
  return Object.fromEntries(CREDENTIAL_FIELDS[type].filter((f) => !f.secret).map((f) => [f.field, values[f.field] ?? '']));
}

/** What a response shows of a credential's values: public fields in clear, secret ones masked. */
export function maskedValues(type: StoredCredentialType, shown: Record<string, string> | null): Record<string, string> | null {
  if (type === StoredCredentialType.KubernetesSecret || shown === null) {
    return null;
  }
  return Object.fromEntries(CREDENTIAL_FIELDS[type].map((f) => [f.field, f.secret ? SECRET_MASK : (shown[f.field] ?? '')]));
}

export function isValueType(type: StoredCredentialType): type is ValueType {
  return type !== StoredCredentialType.KubernetesSecret;
}
