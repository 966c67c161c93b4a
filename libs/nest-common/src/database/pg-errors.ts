import { QueryFailedError } from 'typeorm';

/** True when a statement failed on a unique constraint, optionally a named one. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) {
    return false;
  }
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23505' && (constraint === undefined || driverError.constraint === constraint);
}

/** True when a statement failed because a row is still referenced (or references nothing). */
export function isForeignKeyViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23503';
}

/** SQLSTATEs of a server that is going away or not there yet: admin shutdown, crash shutdown, cannot connect now. */
const UNAVAILABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300']);
const CONNECTION_ERRNOS = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * True when PostgreSQL could not be reached or dropped the connection (a restart, a failover, too
 * many connections): a moment's outage to answer SERVICE_UNAVAILABLE, which clients retry, not a
 * fault of the request.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const cause = error instanceof QueryFailedError ? (error.driverError as unknown) : error;
  if (!(cause instanceof Error)) return false;
  const { code } = cause as { code?: string };
  if (code !== undefined && (UNAVAILABLE_STATES.has(code) || code.startsWith('08') || CONNECTION_ERRNOS.has(code))) return true;
  return /Connection terminated|connection timeout|Client has encountered a connection error|timeout exceeded when trying to connect/i.test(cause.message);
}
