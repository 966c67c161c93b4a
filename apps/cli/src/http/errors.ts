/** Exit statuses, as anchore-cli's: 0 success, 2 on 401 and 500 (and when the server cannot be reached), 1 otherwise. */
export const ExitCode = {
  Success: 0,
  Failure: 1,
  AuthOrServer: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export function exitCodeForStatus(status: number): ExitCode {
  if (status >= 200 && status < 300) {
    return ExitCode.Success;
  }
  return status === 401 || status === 500 ? ExitCode.AuthOrServer : ExitCode.Failure;
}

/** The error body every Keyward route answers with, as Anchore Engine's. */
export interface ErrorBody {
  message: string;
  httpcode: number;
  detail?: { error_codes?: string[] } & Record<string, unknown>;
}

/** A refusal by the API: the status and the body as the server sent them. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
  ) {
    super(body.message);
    this.name = 'ApiError';
  }

  get exitCode(): ExitCode {
    return exitCodeForStatus(this.status);
  }

  get errorCodes(): string[] {
    return this.body.detail?.error_codes ?? [];
  }
}

/** The server did not answer at all (refused, unknown host, timeout). */
export class UnreachableError extends Error {
  constructor(
    readonly url: string,
    cause: unknown,
  ) {
    super(`Cannot reach Keyward at ${url}: ${describeCause(cause)}`);
    this.name = 'UnreachableError';
  }

  readonly exitCode: ExitCode = ExitCode.AuthOrServer;
}

/** A mistake on this side: a bad argument, an unreadable config file, a refused overwrite. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.Failure,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

interface ErrorLike {
  message?: unknown;
  code?: unknown;
  cause?: unknown;
}

function asErrorLike(value: unknown): ErrorLike | undefined {
  return typeof value === 'object' && value !== null ? (value as ErrorLike) : undefined;
}

/** Errors are read by shape, not by class: fetch's come from Node's internals. */
function describeCause(cause: unknown): string {
  const error = asErrorLike(cause);
  // fetch fails with "fetch failed"; what went wrong (ECONNREFUSED, ENOTFOUND, ...) is its cause.
  const inner = asErrorLike(error?.cause);
  for (const candidate of [inner?.code, inner?.message, error?.code, error?.message]) {
    if (typeof candidate === 'string' && candidate !== '') return candidate;
  }
  return String(cause);
}

/** Reads an error reply into the `{message, httpcode, detail}` shape, whatever the server sent. */
export function errorBody(status: number, statusText: string, payload: unknown): ErrorBody {
  if (typeof payload === 'object' && payload !== null && typeof (payload as { message?: unknown }).message === 'string') {
    const body = payload as Partial<ErrorBody> & { message: string };
    return { ...body, message: body.message, httpcode: typeof body.httpcode === 'number' ? body.httpcode : status };
  }
  const text = typeof payload === 'string' && payload.trim() !== '' ? payload.trim() : statusText || `HTTP ${status}`;
  return { message: text, httpcode: status };
}
