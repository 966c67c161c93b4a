/** A refusal from the API, or a failure to reach it, with what a person should read. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly codes: readonly string[],
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get code(): string {
    return this.codes[0] ?? (this.status === 0 ? 'NETWORK' : 'UNKNOWN');
  }

  /** The request field the API named, e.g. `name`, `values.password`, `existingSecret`. */
  get field(): string | undefined {
    const named = /^Invalid field ([A-Za-z0-9_.\-/]+):/.exec(this.message);
    if (named?.[1]) {
      return named[1];
    }
    const validated = /^Validation failed: ([a-z][A-Za-z]*) (?:is|must)\b/.exec(this.message);
    if (validated?.[1]) {
      return validated[1];
    }
    switch (this.code) {
      case 'PROJECT_ALREADY_EXISTS':
        return this.message.startsWith('Namespace') ? 'namespace' : 'name';
      case 'CREDENTIAL_ALREADY_EXISTS':
      case 'SECRET_ALREADY_EXISTS':
      case 'TOKEN_ALREADY_EXISTS':
      case 'ACCOUNT_ALREADY_EXISTS':
      case 'USER_ALREADY_EXISTS':
      case 'RESERVED_NAME':
        return 'name';
      case 'SECRET_NOT_AVAILABLE':
        return 'existingSecret';
      case 'CURRENT_PASSWORD_REQUIRED':
      case 'CURRENT_PASSWORD_INCORRECT':
        return 'currentPassword';
      default:
        return undefined;
    }
  }
}

/** `values.secretAccessKey` -> "Secret access key". */
function fieldWords(field: string): string {
  const last = field.split('.').pop() ?? field;
  return last.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** What the API says a field must be, in words: "Invalid field values.password: is required" -> "Password is required". */
function ruleOf(message: string): string {
  const named = /^Invalid field ([^:]+):\s*(.*)$/s.exec(message);
  if (named?.[1] !== undefined && named[2] !== undefined) {
    return `${fieldWords(named[1])} ${named[2]}`;
  }
  return message.replace(/^Validation failed:\s*/, '');
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/**
 * The error in words a person understands. `overrides` replace the wording of a code where the
 * page knows better what it means there (e.g. SECRET_IN_USE when deleting a secret).
 */
export function describeError(error: unknown, overrides: Partial<Record<string, string>> = {}): string {
  if (!(error instanceof ApiError)) {
    return 'Something went wrong in the console. Reload the page and try again.';
  }
  const override = overrides[error.code];
  if (override) {
    return override;
  }
  switch (error.code) {
    case 'NETWORK':
      return 'Keyward cannot be reached. Check your connection and try again.';
    case 'UNAUTHORIZED':
    case 'UNKNOWN_TOKEN':
    case 'REVOKED_TOKEN':
    case 'EXPIRED_TOKEN':
      return 'Your session has ended — sign in again.';
    case 'TOO_MANY_LOGIN_ATTEMPTS':
      return error.retryAfterSeconds
        ? `Too many failed sign-ins. Wait ${error.retryAfterSeconds} seconds, then try again.`
        : 'Too many failed sign-ins. Wait a few minutes, then try again.';
    case 'ACCOUNT_NOT_ENABLED':
      return 'Your account is disabled. Ask an administrator to enable it.';
    case 'FORBIDDEN':
      return 'You are not allowed to do this.';
    case 'READ_ONLY_TOKEN':
      return 'This session may only look, not change anything.';
    case 'VALIDATION_FAILED':
    case 'BAD_REQUEST':
      return sentence(ruleOf(error.message));
    case 'RESERVED_NAME':
      return 'This name is reserved. Choose another one.';
    case 'ACCOUNT_ALREADY_EXISTS':
      return 'An account with this name already exists.';
    case 'USER_ALREADY_EXISTS':
      return 'A user with this name already exists.';
    case 'INVALID_STATE_CHANGE':
      return /to state deleting/.test(error.message)
        ? 'Disable the account before deleting it.'
        : sentence(error.message.replace(/^Invalid account state change requested\.\s*/, ''));
    case 'PROTECTED_ACCOUNT':
      return 'The admin account cannot be disabled or deleted.';
    case 'PROTECTED_USER':
      return 'This user cannot be deleted: Keyward needs it.';
    case 'SELF_DELETION':
      return 'You cannot remove the user or password you are signed in with.';
    case 'ACCOUNT_NOT_FOUND':
      return 'This account does not exist (any more).';
    case 'USER_NOT_FOUND':
      return 'This user does not exist (any more).';
    case 'PROJECT_NOT_FOUND':
      return 'This project does not exist (any more). Reload the page.';
    case 'PROJECT_ALREADY_EXISTS':
      return error.message.startsWith('Namespace') ? 'Another project already uses this namespace.' : 'A project with this name already exists.';
    case 'PROJECT_IN_USE':
      return 'This project still has credentials. Delete them first.';
    case 'CREDENTIAL_NOT_FOUND':
      return 'This credential does not exist (any more). Reload the page.';
    case 'CREDENTIAL_ALREADY_EXISTS':
      return 'A credential with this name already exists in this scope. Choose another name.';
    case 'SECRET_NOT_FOUND':
      return 'This secret does not exist (any more). Reload the page.';
    case 'SECRET_ALREADY_EXISTS':
      return 'A secret with this namespace and name is already registered.';
    case 'SECRET_IN_USE':
      return 'A credential already uses this secret. Pick another one.';
    case 'SECRET_NOT_AVAILABLE':
      return sentence(error.message);
    case 'TOKEN_ALREADY_EXISTS':
      return 'You already have a token with this name. Choose another name.';
    case 'TOKEN_NOT_FOUND':
      return 'This token does not exist (any more). Reload the page.';
    case 'ROUTE_NOT_FOUND':
      return 'This server does not offer this yet.';
    case 'SERVICE_UNAVAILABLE':
      return 'Keyward is not answering right now. Try again in a moment.';
    case 'INTERNAL_ERROR':
      return 'Something went wrong on the server. Try again; if it keeps happening, tell your administrator.';
    default:
      return error.message ? sentence(error.message) : `The server refused (HTTP ${error.status}).`;
  }
}
