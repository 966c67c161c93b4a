import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type LoggerService } from '@nestjs/common';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';
import { ErrorCode } from '@keyward/domain';
import fastifyStatic from '@fastify/static';
import { type FastifyReply, type FastifyRequest } from 'fastify';
import { API_VERSION } from '../api/root.controller';
import { anchoreError } from '../errors/anchore-error';

/** Paths that belong to the API, its documentation and health: never answered with the console. */
const RESERVED_PREFIXES = ['/v1', '/docs', '/health'];

/**
 * The console's pages run its script only from this origin and talk only to it; nothing may
 * frame them. React sets styles through the DOM, which style-src does not restrict.
 */
const CONSOLE_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

const JSON_TYPE = 'application/json; charset=utf-8';

/** A browser navigating asks for HTML first; API clients ask for any type, or JSON. */
function wantsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').split(',', 1)[0]?.trim().startsWith('text/html') === true;
}

function isReserved(path: string): boolean {
  return RESERVED_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/**
 * Serves the built console (Vite's output in `dir`) at `/`: its files as they are, and index.html
 * for every other GET outside the API, so the console's own routes (/credentials, /admin...)
 * load on a reload or a bookmark. Unknown /v1, /docs and /health paths keep the API's JSON 404.
 *
 * These routes are registered on Fastify itself, outside Nest's router, so the global
 * authentication guard never sees them: the console's files are public, as a sign-in page must
 * be, and hold no data. Everything under /v1 stays behind the guard. Without a built console the
 * gateway serves the API alone. Returns whether the console is served.
 */
export async function serveConsole(app: NestFastifyApplication, dir: string, logger: LoggerService): Promise<boolean> {
  const indexFile = join(dir, 'index.html');
  const fastify = app.getHttpAdapter().getInstance();
  if (!existsSync(indexFile)) {
    logger.warn(`No web console at ${dir} (build it with npm run build:console): serving the API only`, 'Console');
    fastify.get('/', (_request, reply) => reply.type(JSON_TYPE).send(JSON.stringify(API_VERSION)));
    return false;
  }
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    // One route per file that exists now, so nothing else in the directory tree is reachable.
    wildcard: false,
    index: false,
    decorateReply: false,
    cacheControl: false,
    setHeaders: (reply, path) => {
      // Vite names built assets by their content hash: they never change under the same name.
      const cacheControl = path.startsWith(`${join(dir, 'assets')}/`) ? 'public, max-age=31536000, immutable' : 'no-cache';
      void reply.headers({ ...CONSOLE_HEADERS, 'Cache-Control': cacheControl });
    },
  });

  const fallback = async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0] ?? '/';
    // A reserved path, or a file that is not there (an asset of another build): a plain 404.
    if (isReserved(path) || /\.[a-z0-9]+$/i.test(path)) {
      return reply.status(404).send(anchoreError(404, 'Not found', ErrorCode.RouteNotFound));
    }
    const html = await readFile(indexFile, 'utf8');
    return reply
      .headers({ ...CONSOLE_HEADERS, 'Cache-Control': 'no-cache' })
      .type('text/html; charset=utf-8')
      .send(html);
  };
  // `/` is the console for a browser and Anchore's ping (the API version) for any other client.
  fastify.get('/', async (request, reply) => (wantsHtml(request) ? fallback(request, reply) : reply.type(JSON_TYPE).send(JSON.stringify(API_VERSION))));
  fastify.get('/*', fallback);
  return true;
}
