import { randomUUID } from 'node:crypto';
import { type Socket } from 'node:net';
import { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { DomainError, ErrorCode } from '@keyward/domain';
import { anchoreError, codeForFrameworkError } from '../errors/anchore-error';

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * What in a string no service can store: a NUL (PostgreSQL's text holds none), or a JSON escape of
 * half a surrogate pair (`"\ud800"`), which is no character and no UTF-8.
 */
function unstorable(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain a NUL character';
  if (UNPAIRED_SURROGATE.test(text)) return 'must not contain an unpaired surrogate (\\ud800 to \\udfff alone is no character)';
  return undefined;
}

/** The first string of a JSON value, key or value, that no service can store, and why; if any. */
export function unstorablePathOf(value: unknown, path = ''): { path: string; problem: string } | undefined {
  if (typeof value === 'string') {
    const problem = unstorable(value);
    return problem ? { path: path || 'body', problem } : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const problem = unstorable(key);
    if (problem) return { path: path ? `${path}.<key>` : '<key>', problem };
    const found = unstorablePathOf(item, path ? `${path}.${key}` : key);
    if (found) return found;
  }
  return undefined;
}

/**
 * No name, id or filter holds a control character: a path or query parameter with one (a NUL,
 * a newline) is a 400 naming it, before any service sees it, whatever the route.
 */
export function refuseControlCharacters(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', async (request) => {
    const inputs = [
      ['path parameter', request.params],
      ['query parameter', request.query],
    ] as const;
    for (const [kind, values] of inputs) {
      for (const [name, value] of Object.entries((values ?? {}) as Record<string, unknown>)) {
        if (Array.isArray(value)) {
          // `?limit=1&limit=2`: every parameter of the API is one value.
          throw new DomainError(ErrorCode.ValidationFailed, `Validation failed: ${kind} ${JSON.stringify(name)} must be given once`);
        }
        const texts = [value];
        if (CONTROL_CHARACTER.test(name) || texts.some((text) => typeof text === 'string' && CONTROL_CHARACTER.test(text))) {
          throw new DomainError(
            ErrorCode.ValidationFailed,
            `Validation failed: ${kind} ${JSON.stringify(name)} must not contain control characters (NUL, newline, tab...)`,
          );
        }
      }
    }
  });
}

/** The largest request body the gateway reads (credential values, manifests): 1 MiB. */
export const BODY_LIMIT = 1024 * 1024;

/**
 * The router's limits. Anchore names and usernames are up to 128 characters, and a client
 * percent-encodes them (`quote(name, "")`), so one segment may be three times as long; the
 * limit leaves room for any name the rules allow to reach validation, which answers with a 400
 * naming the field. Trailing slashes are accepted, as Anchore Engine accepts them.
 */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Each request's id: the caller's X-Request-Id when it is a plain token (a proxy's or a client's,
 * so one id follows a request through every hop), else a new UUID. The answer carries it back,
 * the request's log line and audit record hold it.
 */
export function requestIdOf(request: { headers: Record<string, string | string[] | undefined> }): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
}

export const ROUTER_OPTIONS = { maxParamLength: 2048, ignoreTrailingSlash: true } as const;

/** The one media type a body may have. */
const JSON_MEDIA_TYPE = 'application/json';

/**
 * Bodies are JSON and nothing else: a form post, text or any other type is a 415, so a page of
 * another site cannot send a request the API accepts (a cross-site form can only send forms and
 * text). A JSON body with no bytes is a request without a body: python-requests, and so
 * anchore-cli, sends `Content-Type: application/json` on every request, also a DELETE with
 * `Content-Length: 0`. Routes that need a body answer their own 400 naming what is missing.
 * The raw bytes are kept for the signature check of signed requests.
 */
export function acceptJsonBodiesOnly(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser(JSON_MEDIA_TYPE, { parseAs: 'buffer', bodyLimit: BODY_LIMIT }, (request, body, done) => {
    const raw = body as Buffer;
    (request as { rawBody?: Buffer }).rawBody = raw;
    if (raw.length === 0) {
      done(null, undefined);
      return;
    }
    void parseJson(request, raw.toString('utf8'), (error, value) => {
      if (error) {
        const malformed = Object.assign(new Error(`Request body is not valid JSON: ${error.message}`), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON' });
        done(malformed, undefined);
        return;
      }
      const found = unstorablePathOf(value);
      if (found) {
        done(new DomainError(ErrorCode.ValidationFailed, `Validation failed: ${found.path} ${found.problem}`), undefined);
        return;
      }
      done(null, value);
    });
  });
}

/** What a client is told when its media type is refused. */
export function unsupportedMediaTypeMessage(contentType: string | undefined): string {
  const given = contentType === undefined || contentType === '' ? 'none' : contentType.split(';', 1)[0]?.trim();
  return `Unsupported Content-Type ${given}: request bodies must be ${JSON_MEDIA_TYPE}`;
}

/**
 * Errors Node's HTTP parser finds before Fastify sees a request (a request line or headers over
 * the size limit, a malformed request): answered in Anchore's error shape, then the connection
 * is closed, as Node does by default.
 */
export const clientErrorHandler: NonNullable<FastifyServerOptions['clientErrorHandler']> = (error, socket: Socket) => {
  if (!socket.writable) {
    return;
  }
  const code = (error as { code?: string }).code;
  const [status, reason, message] =
    code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', 'The request line and headers are too large (the URL or a header is too long)']
      : [400, 'Bad Request', 'The request is not valid HTTP'];
  const body = JSON.stringify(anchoreError(status, message, codeForFrameworkError(status)));
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
};
