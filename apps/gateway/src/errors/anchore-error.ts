import { ErrorCode } from '@keyward/domain';

/** Anchore Engine's error body, with Keyward's stable code in `detail.error_codes`. */
export interface AnchoreErrorBody {
  message: string;
  httpcode: number;
  detail: { error_codes: string[] } & Record<string, unknown>;
}

export function anchoreError(httpcode: number, message: string, code: ErrorCode, detail: Record<string, unknown> = {}): AnchoreErrorBody {
  return { message, httpcode, detail: { ...detail, error_codes: [code] } };
}

/** For errors raised by the HTTP layer itself (unknown route, unreadable body). */
export function codeForHttpStatus(status: number): ErrorCode {
  if (status === 401) return ErrorCode.Unauthorized;
  if (status === 403) return ErrorCode.Forbidden;
  if (status === 404) return ErrorCode.RouteNotFound;
  if (status === 405) return ErrorCode.MethodNotAllowed;
  if (status === 413) return ErrorCode.PayloadTooLarge;
  if (status === 415) return ErrorCode.UnsupportedMediaType;
  if (status === 414 || status === 431) return ErrorCode.RequestTooLarge;
  if (status === 429) return ErrorCode.TooManyLoginAttempts;
  if (status === 503) return ErrorCode.ServiceUnavailable;
  if (status >= 400 && status < 500) return ErrorCode.BadRequest;
  return ErrorCode.Internal;
}

/** For errors Fastify raises while reading a request: a 400 there is a body that could not be read. */
export function codeForFrameworkError(status: number): ErrorCode {
  return status === 400 ? ErrorCode.MalformedBody : codeForHttpStatus(status);
}
