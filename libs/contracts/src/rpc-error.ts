import { type DomainError, type ErrorCode, isErrorCode } from '@keyward/domain';

/** The error half of every reply on the bus. Never carries a secret or a stack trace. */
export interface RpcErrorPayload {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export function toRpcErrorPayload(error: DomainError): RpcErrorPayload {
  return { code: error.code, message: error.message, details: error.details };
}

export function isRpcErrorPayload(value: unknown): value is RpcErrorPayload {
  return (
    typeof value === 'object' &&
    value !== null &&
    isErrorCode((value as { code?: unknown }).code) &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}
