import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type Socket } from 'node:net';
import { join } from 'node:path';

export interface FakeSecret {
  apiVersion: 'v1';
  kind: 'Secret';
  metadata: {
    name: string;
    namespace: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
    uid?: string;
    creationTimestamp?: string;
  };
  type?: string;
  /** Base64, as the API holds it. */
  data?: Record<string, string>;
}

/** A Secret as a test writes it: data as plain strings. */
export interface PlainSecret {
  namespace: string;
  name: string;
  labels?: Record<string, string>;
  type?: string;
  data: Record<string, string>;
}

interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: FakeSecret;
  resourceVersion: number;
}

interface Watcher {
  response: ServerResponse;
  namespace: string | null;
  selector: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string;
  query: string;
  status: number;
  /** `<namespace>/<name>` of the Secret a write was about. */
  secret?: string;
}

const b64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');
const unb64 = (value: string) => Buffer.from(value, 'base64').toString('utf8');

/** `a=b,c`, `a!=b`: the equality-based label selectors Kubernetes accepts. */
export function matchesSelector(labels: Record<string, string> | undefined, selector: string): boolean {
  const have = labels ?? {};
  return selector
    .split(',')
    .map((term) => term.trim())
    .filter(Boolean)
    .every((term) => {
      const unequal = /^([^!=]+)!=(.*)$/.exec(term);
      if (unequal) return have[unequal[1] ?? ''] !== unequal[2];
      const equal = /^([^=]+)==?(.*)$/.exec(term);
      if (equal) return have[equal[1] ?? ''] === equal[2];
      return term in have;
    });
}

function status(code: number, reason: string, message: string): object {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
}

/**
 * A Kubernetes API server for tests, on loopback: Secrets in namespaces, with list and watch
 * (label selectors, `resourceVersion`, 410 Gone once history is compacted), get, create (409 when
 * the name is taken), replace (409 on a stale resourceVersion), merge patch and delete; 404 for a
 * namespace that does not exist, 403 for one the token may not write. It can be restarted on the
 * same port (every watch is cut) and records every request it answers.
 */
export class FakeKubernetes {
  readonly namespaces = new Set<string>();
  /** Namespaces where every request is refused with 403. */
  readonly forbidden = new Set<string>();
  readonly requests: RecordedRequest[] = [];
  private readonly secrets = new Map<string, FakeSecret>();
  private history: WatchEvent[] = [];
  /** Watches from before this version get 410 Gone. */
  private compactedAt = 0;
  private version = 1;
  private readonly watchers = new Set<Watcher>();
  private readonly sockets = new Set<Socket>();
  private server?: Server;

  private constructor(readonly port: number) {}

  static async start(namespaces: string[] = []): Promise<FakeKubernetes> {
    const fake = new FakeKubernetes(0);
    namespaces.forEach((namespace) => fake.namespaces.add(namespace));
    await fake.listen(0);
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** A kubeconfig file for this server in `dir`, authenticating with `token`. */
  writeKubeconfig(dir: string, token = 'test-token'): string {
    const path = join(dir, `kubeconfig-${this.port}`);
    writeFileSync(
      path,
      [
        'apiVersion: v1',
        'kind: Config',
        'clusters:',
        // Plain HTTP on loopback: the client allows it only with TLS verification explicitly off.
        `- name: fake\n  cluster:\n    server: ${this.url}\n    insecure-skip-tls-verify: true`,
        'users:',
        `- name: tester\n  user:\n    token: ${token}`,
        'contexts:',
        '- name: fake\n  context:\n    cluster: fake\n    user: tester',
        'current-context: fake',
      ].join('\n'),
    );
    return path;
  }

  /** The Secret with its data decoded, or undefined. */
  get(namespace: string, name: string): PlainSecret | undefined {
    const secret = this.secrets.get(`${namespace}/${name}`);
    return secret ? this.plain(secret) : undefined;
  }

  /** Every Secret matching `selector`, decoded, sorted by namespace and name. */
  list(selector = ''): Array<PlainSecret & { labels: Record<string, string> }> {
    return [...this.secrets.values()]
      .filter((secret) => matchesSelector(secret.metadata.labels, selector))
      .map((secret) => ({ ...this.plain(secret), labels: secret.metadata.labels ?? {} }))
      .sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
  }

  /** Writes a Secret as a cluster user would (creating its namespace if needed). */
  put(secret: PlainSecret): void {
    this.namespaces.add(secret.namespace);
    const key = `${secret.namespace}/${secret.name}`;
    const existing = this.secrets.get(key);
    this.store(
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: secret.name, namespace: secret.namespace, labels: secret.labels ?? {}, uid: existing?.metadata.uid },
        type: secret.type ?? 'Opaque',
        data: Object.fromEntries(Object.entries(secret.data).map(([k, v]) => [k, b64(v)])),
      },
      existing ? 'MODIFIED' : 'ADDED',
    );
  }

  /** Deletes a Secret as a cluster user would. */
  remove(namespace: string, name: string): void {
    const existing = this.secrets.get(`${namespace}/${name}`);
    if (existing) this.drop(existing);
  }

  /** Forgets the watch history: a watch resuming from any resourceVersion handed out so far gets 410 Gone. */
  compact(): void {
    this.compactedAt = this.version + 1;
    this.history = [];
  }

  /** Writes (create, replace, patch, delete) made by a client, per Secret. */
  writes(method?: string): RecordedRequest[] {
    return this.requests.filter((r) => (method ? r.method === method : r.method !== 'GET') && r.status < 300);
  }

  /** Stops answering, cuts every connection and watch, and listens again on the same port after `downMs`. */
  async restart(downMs = 0): Promise<void> {
    await this.close();
    await new Promise((resolvePromise) => setTimeout(resolvePromise, downMs));
    await this.listen(this.port);
  }

  async stop(): Promise<void> {
    await this.close();
  }

  private async close(): Promise<void> {
    for (const watcher of this.watchers) watcher.response.destroy();
    this.watchers.clear();
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
  }

  private listen(port: number): Promise<void> {
    const server = createServer((request, response) => {
      void this.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) this.reply(request, response, 500, status(500, 'InternalError', String(error)));
      });
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.server = server;
    return new Promise((resolvePromise) =>
      server.listen(port, '127.0.0.1', () => {
        (this as { port: number }).port = (server.address() as { port: number }).port;
        resolvePromise();
      }),
    );
  }

  private plain(secret: FakeSecret): PlainSecret {
    return {
      namespace: secret.metadata.namespace,
      name: secret.metadata.name,
      labels: secret.metadata.labels ?? {},
      type: secret.type ?? 'Opaque',
      data: Object.fromEntries(Object.entries(secret.data ?? {}).map(([k, v]) => [k, unb64(v)])),
    };
  }

  private store(secret: FakeSecret, type: 'ADDED' | 'MODIFIED'): FakeSecret {
    this.version += 1;
    const key = `${secret.metadata.namespace}/${secret.metadata.name}`;
    const before = this.secrets.get(key);
    const stored: FakeSecret = {
      ...secret,
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: {
        ...secret.metadata,
        resourceVersion: String(this.version),
        uid: before?.metadata.uid ?? secret.metadata.uid ?? randomUUID(),
        creationTimestamp: before?.metadata.creationTimestamp ?? new Date().toISOString(),
      },
    };
    this.secrets.set(key, stored);
    this.emit({ type, object: stored, resourceVersion: this.version }, before);
    return stored;
  }

  private drop(secret: FakeSecret): void {
    this.version += 1;
    this.secrets.delete(`${secret.metadata.namespace}/${secret.metadata.name}`);
    const gone = { ...secret, metadata: { ...secret.metadata, resourceVersion: String(this.version) } };
    this.emit({ type: 'DELETED', object: gone, resourceVersion: this.version }, secret);
  }

  private emit(event: WatchEvent, before: FakeSecret | undefined): void {
    this.history.push(event);
    for (const watcher of this.watchers) {
      const line = this.eventFor(watcher, event, before);
      if (line) watcher.response.write(`${JSON.stringify(line)}\n`);
    }
  }

  /** What a watch with a label selector sees of an event: objects entering or leaving it are added or deleted. */
  private eventFor(watcher: Watcher, event: WatchEvent, before: FakeSecret | undefined): { type: string; object: FakeSecret } | undefined {
    if (watcher.namespace && watcher.namespace !== event.object.metadata.namespace) return undefined;
    const now = event.type !== 'DELETED' && matchesSelector(event.object.metadata.labels, watcher.selector);
    const was = before !== undefined && matchesSelector(before.metadata.labels, watcher.selector);
    if (event.type === 'DELETED') return was ? { type: 'DELETED', object: event.object } : undefined;
    if (now && !was) return { type: 'ADDED', object: event.object };
    if (now && was) return { type: 'MODIFIED', object: event.object };
    if (!now && was) return { type: 'DELETED', object: event.object };
    return undefined;
  }

  private reply(request: IncomingMessage, response: ServerResponse, code: number, body: object, secret?: string): void {
    const url = new URL(request.url ?? '/', 'http://localhost');
    this.requests.push({
      method: request.method ?? 'GET',
      path: url.pathname,
      query: url.search,
      authorization: request.headers.authorization ?? '',
      status: code,
      secret,
    });
    response.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }

  private async body(request: IncomingMessage): Promise<FakeSecret> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as FakeSecret;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    if (!request.headers.authorization?.startsWith('Bearer ')) {
      this.reply(request, response, 401, status(401, 'Unauthorized', 'Unauthorized'));
      return;
    }
    const all = url.pathname === '/api/v1/secrets';
    const match = /^\/api\/v1\/namespaces\/([^/]+)\/secrets(?:\/([^/]+))?$/.exec(url.pathname);
    if (!all && !match) {
      this.reply(request, response, 404, status(404, 'NotFound', `the server could not find the requested resource ${url.pathname}`));
      return;
    }
    const namespace = match ? decodeURIComponent(match[1] ?? '') : null;
    const name = match?.[2] ? decodeURIComponent(match[2]) : null;
    if (namespace && this.forbidden.has(namespace)) {
      this.reply(
        request,
        response,
        403,
        status(
          403,
          'Forbidden',
          `secrets is forbidden: User "system:serviceaccount:keyward:keyward" cannot ${method.toLowerCase()} resource "secrets" in the namespace "${namespace}"`,
        ),
      );
      return;
    }
    const selector = url.searchParams.get('labelSelector') ?? '';
    if (method === 'GET' && !name) {
      if (url.searchParams.get('watch') === 'true') {
        this.watch(request, response, namespace, selector, url.searchParams.get('resourceVersion') ?? '');
        return;
      }
      const items = [...this.secrets.values()].filter(
        (secret) => (!namespace || secret.metadata.namespace === namespace) && matchesSelector(secret.metadata.labels, selector),
      );
      this.reply(request, response, 200, { kind: 'SecretList', apiVersion: 'v1', metadata: { resourceVersion: String(this.version) }, items });
      return;
    }
    if (!namespace || !this.namespaces.has(namespace)) {
      this.reply(request, response, 404, status(404, 'NotFound', `namespaces "${namespace ?? ''}" not found`));
      return;
    }
    const key = `${namespace}/${name ?? ''}`;
    const existing = name ? this.secrets.get(key) : undefined;
    if (method === 'POST' && !name) {
      const body = await this.body(request);
      const created = `${namespace}/${body.metadata?.name ?? ''}`;
      if (this.secrets.has(created)) {
        this.reply(request, response, 409, status(409, 'AlreadyExists', `secrets "${body.metadata.name}" already exists`), created);
        return;
      }
      const stored = this.store({ ...body, metadata: { ...body.metadata, namespace, resourceVersion: undefined } }, 'ADDED');
      this.reply(request, response, 201, stored, created);
      return;
    }
    if (!name || !existing) {
      this.reply(request, response, 404, status(404, 'NotFound', `secrets "${name ?? ''}" not found`));
      return;
    }
    switch (method) {
      case 'GET':
        this.reply(request, response, 200, existing);
        return;
      case 'PUT': {
        const body = await this.body(request);
        if (body.metadata?.resourceVersion && body.metadata.resourceVersion !== existing.metadata.resourceVersion) {
          this.reply(
            request,
            response,
            409,
            status(
              409,
              'Conflict',
              `Operation cannot be fulfilled on secrets "${name}": the object has been modified; please apply your changes to the latest version and try again`,
            ),
          );
          return;
        }
        this.reply(request, response, 200, this.store({ ...body, metadata: { ...body.metadata, name, namespace } }, 'MODIFIED'), key);
        return;
      }
      case 'PATCH': {
        const patch = await this.body(request);
        const merged: FakeSecret = {
          ...existing,
          ...(patch.type ? { type: patch.type } : {}),
          metadata: { ...existing.metadata, labels: { ...existing.metadata.labels, ...patch.metadata?.labels } },
          data: { ...existing.data, ...patch.data },
        };
        this.reply(request, response, 200, this.store(merged, 'MODIFIED'), key);
        return;
      }
      case 'DELETE':
        this.drop(existing);
        this.reply(request, response, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 }, key);
        return;
      default:
        this.reply(request, response, 405, status(405, 'MethodNotAllowed', `${method} is not supported`));
    }
  }

  private watch(request: IncomingMessage, response: ServerResponse, namespace: string | null, selector: string, resourceVersion: string): void {
    const url = new URL(request.url ?? '/', 'http://localhost');
    this.requests.push({ method: 'GET', path: url.pathname, query: url.search, authorization: request.headers.authorization ?? '', status: 200 });
    response.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    response.flushHeaders();
    const from = Number(resourceVersion || this.version);
    if (from < this.compactedAt) {
      // As the API server does: the watch opens, reports the version is too old, and ends.
      response.end(`${JSON.stringify({ type: 'ERROR', object: status(410, 'Expired', `too old resource version: ${from} (${this.compactedAt})`) })}\n`);
      return;
    }
    const watcher: Watcher = { response, namespace, selector };
    this.watchers.add(watcher);
    response.on('close', () => this.watchers.delete(watcher));
    // Replay what happened after `from`, each event as it looked to this selector then.
    const state = new Map<string, FakeSecret>();
    for (const event of this.history) {
      const key = `${event.object.metadata.namespace}/${event.object.metadata.name}`;
      const before = state.get(key);
      if (event.type === 'DELETED') state.delete(key);
      else state.set(key, event.object);
      if (event.resourceVersion <= from) continue;
      const line = this.eventFor(watcher, event, before);
      if (line) response.write(`${JSON.stringify(line)}\n`);
    }
  }
}
