import { ErrorCode } from '@keyward/domain';

function assertUnreachable(value: never): never {
  throw new Error(`Unmapped error code: ${String(value)}`);
}

/** Every error code's HTTP status. Adding a code without a case here fails to compile. */
export function httpStatusOf(code: ErrorCode, details: Record<string, unknown> = {}): number {
  switch (code) {
    case ErrorCode.BadRequest:
    case ErrorCode.ValidationFailed:
    case ErrorCode.ReservedName:
    case ErrorCode.AccountAlreadyExists:
    case ErrorCode.UserAlreadyExists:
    case ErrorCode.InvalidStateChange:
    case ErrorCode.ProtectedAccount:
    case ErrorCode.ProtectedUser:
    case ErrorCode.SelfDeletion:
    case ErrorCode.InvalidCredentialType:
    case ErrorCode.SecretNotAvailable:
    case ErrorCode.MalformedBody:
    case ErrorCode.CurrentPasswordRequired:
      return 400;
    case ErrorCode.Unauthorized:
    case ErrorCode.MalformedSignature:
    case ErrorCode.StaleSignature:
    case ErrorCode.UnknownToken:
    case ErrorCode.RevokedToken:
    case ErrorCode.ExpiredToken:
    case ErrorCode.BadSignature:
    case ErrorCode.ReplayedSignature:
    case ErrorCode.CredentialsInUrl:
      return 401;
    case ErrorCode.AccountNotEnabled:
      // A write into a disabled or deleting account is a bad request from an administrator.
      return details['status'] === 400 ? 400 : 403;
    case ErrorCode.Forbidden:
    case ErrorCode.ReadOnlyToken:
    case ErrorCode.PasswordRequired:
    case ErrorCode.CurrentPasswordIncorrect:
      return 403;
    case ErrorCode.AccountNotFound:
    case ErrorCode.UserNotFound:
    case ErrorCode.RouteNotFound:
    case ErrorCode.ProjectNotFound:
    case ErrorCode.CredentialNotFound:
    case ErrorCode.SecretNotFound:
    case ErrorCode.TokenNotFound:
      return 404;
    case ErrorCode.MethodNotAllowed:
      return 405;
    case ErrorCode.ProjectAlreadyExists:
    case ErrorCode.ProjectInUse:
    case ErrorCode.CredentialAlreadyExists:
    case ErrorCode.SecretAlreadyExists:
    case ErrorCode.SecretInUse:
    case ErrorCode.TokenAlreadyExists:
      return 409;
    case ErrorCode.PayloadTooLarge:
      return 413;
    case ErrorCode.UnsupportedMediaType:
      return 415;
    case ErrorCode.RequestTooLarge:
      return 431;
    case ErrorCode.TooManyLoginAttempts:
      return 429;
    case ErrorCode.Internal:
      return 500;
    case ErrorCode.ServiceUnavailable:
      return 503;
    default:
      return assertUnreachable(code);
  }
}
