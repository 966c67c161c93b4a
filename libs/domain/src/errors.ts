/**
 * Stable error codes. They are part of the public API (they appear in `detail.error_codes`), so a
 * code is never renamed or reused; add new ones instead. The gateway maps each to an HTTP status
 * with an exhaustive switch.
 */
export enum ErrorCode {
  BadRequest = 'BAD_REQUEST',
  ValidationFailed = 'VALIDATION_FAILED',
  ReservedName = 'RESERVED_NAME',
  AccountAlreadyExists = 'ACCOUNT_ALREADY_EXISTS',
  UserAlreadyExists = 'USER_ALREADY_EXISTS',
  InvalidStateChange = 'INVALID_STATE_CHANGE',
  ProtectedAccount = 'PROTECTED_ACCOUNT',
  ProtectedUser = 'PROTECTED_USER',
  SelfDeletion = 'SELF_DELETION',
  InvalidCredentialType = 'INVALID_CREDENTIAL_TYPE',
  AccountNotFound = 'ACCOUNT_NOT_FOUND',
  UserNotFound = 'USER_NOT_FOUND',
  RouteNotFound = 'ROUTE_NOT_FOUND',
  MethodNotAllowed = 'METHOD_NOT_ALLOWED',
  MalformedBody = 'MALFORMED_BODY',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  RequestTooLarge = 'REQUEST_TOO_LARGE',
  CredentialsInUrl = 'CREDENTIALS_IN_URL',
  Unauthorized = 'UNAUTHORIZED',
  Forbidden = 'FORBIDDEN',
  AccountNotEnabled = 'ACCOUNT_NOT_ENABLED',
  TooManyLoginAttempts = 'TOO_MANY_LOGIN_ATTEMPTS',
  ProjectNotFound = 'PROJECT_NOT_FOUND',
  ProjectAlreadyExists = 'PROJECT_ALREADY_EXISTS',
  ProjectInUse = 'PROJECT_IN_USE',
  CredentialNotFound = 'CREDENTIAL_NOT_FOUND',
  CredentialAlreadyExists = 'CREDENTIAL_ALREADY_EXISTS',
  SecretNotFound = 'SECRET_NOT_FOUND',
  SecretAlreadyExists = 'SECRET_ALREADY_EXISTS',
  SecretInUse = 'SECRET_IN_USE',
  SecretNotAvailable = 'SECRET_NOT_AVAILABLE',
  TokenNotFound = 'TOKEN_NOT_FOUND',
  TokenAlreadyExists = 'TOKEN_ALREADY_EXISTS',
  ReadOnlyToken = 'READ_ONLY_TOKEN',
  PasswordRequired = 'PASSWORD_REQUIRED',
  CurrentPasswordRequired = 'CURRENT_PASSWORD_REQUIRED',
  CurrentPasswordIncorrect = 'CURRENT_PASSWORD_INCORRECT',
  MalformedSignature = 'MALFORMED_SIGNATURE',
  StaleSignature = 'STALE_SIGNATURE',
  UnknownToken = 'UNKNOWN_TOKEN',
  RevokedToken = 'REVOKED_TOKEN',
  ExpiredToken = 'EXPIRED_TOKEN',
  BadSignature = 'BAD_SIGNATURE',
  ReplayedSignature = 'REPLAYED_SIGNATURE',
  ServiceUnavailable = 'SERVICE_UNAVAILABLE',
  Internal = 'INTERNAL_ERROR',
}

/** An expected failure with a stable code and a message fit to show the caller. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (Object.values(ErrorCode) as string[]).includes(value);
}
