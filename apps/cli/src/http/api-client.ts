import { randomBytes } from 'node:crypto';
import { signRequest } from '@keyward/domain';
import { type Auth } from '../settings/settings';
import { ApiError, errorBody, UnreachableError } from './errors';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Query = Record<string, string | number | boolean | undefined>;

export interface ApiResponse<T> {
  status: number;
  headers: Headers;
  /** Parsed JSON for a JSON reply, the text otherwise, undefined when there is no body. */
  body: T;
}

export interface ApiClientOptions {
  baseUrl: string;
  auth: Auth;
  /** Sent as `x-anchore-account`: the account an administrator acts in. */
  account?: string;
  fetch?: typeof fetch;
  /** Adds a random `nonce` to every signed request (see `request`); tests turn it off to check signatures. */
  nonce?: () => string;
}

/** Largest page the API serves; lists are read page by page up to `X-Total-Count`. */
export const PAGE_SIZE = 1000;

/** `/v1/accounts/a%2Fb/users`: every segment percent-encoded. */
export function apiPath(...segments: string[]): string {
  return segments.map((segment, index) => (index === 0 ? segment : encodeURIComponent(segment))).join('/');
}

/** Speaks to the gateway: Basic or signed authentication, JSON in and out, errors as ApiError. */
export class ApiClient {
  private readonly fetchFn: typeof fetch;
  private readonly nonce: () => string;

  constructor(private readonly options: ApiClientOptions) {
    this.fetchFn = options.fetch ?? fetch;
    this.nonce = options.nonce ?? (() => randomBytes(8).toString('hex'));
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  get auth(): Auth {
    return this.options.auth;
  }

  /**
   * One request. With a token, the request is signed over exactly the path, query and body sent.
   * Two identical signed requests within a second are refused as a replay, and scripts do run the
   * same command twice in a second, so each signed request carries a random `nonce` parameter,
   * which the API ignores (docs/auth.md).
   */
  async request<T>(method: Method, path: string, query: Query = {}, body?: unknown): Promise<ApiResponse<T>> {
    const { response, text } = await this.exchange(method, path, query, body);
    return { status: response.status, headers: response.headers, body: parseBody(response.headers.get('content-type'), text) as T };
  }

  /** The reply's text exactly as sent (an export): no JSON parsing. */
  async text(method: Method, path: string, query: Query = {}): Promise<string> {
    return (await this.exchange(method, path, query)).text;
  }

  private async exchange(method: Method, path: string, query: Query, body?: unknown): Promise<{ response: Response; text: string }> {
    const url = new URL(`${this.options.baseUrl}${path}`);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = { accept: 'application/json, text/plain' };
    const payload = body === undefined ? undefined : JSON.stringify(body);
    if (payload !== undefined) {
      headers['content-type'] = 'application/json';
    }
    if (this.options.account) {
      headers['x-anchore-account'] = this.options.account;
    }
    const auth = this.options.auth;
    if (auth.kind === 'basic') {
      headers['authorization'] = `Basic ${Buffer.from(`${auth.username}:${auth.password ?? ''}`).toString('base64')}`;
    } else if (auth.kind === 'token') {
      url.searchParams.set('nonce', this.nonce());
      headers['authorization'] = signRequest(auth.token, { method, url: `${url.pathname}${url.search}`, body: payload });
    }

    let response: Response;
    let text: string;
    try {
      response = await this.fetchFn(url, { method, headers, body: payload });
      text = await response.text();
    } catch (error: unknown) {
      throw new UnreachableError(this.options.baseUrl, error);
    }
    if (!response.ok) {
      throw new ApiError(response.status, errorBody(response.status, response.statusText, parseBody(response.headers.get('content-type'), text)));
    }
    return { response, text };
  }

  async get<T>(path: string, query: Query = {}): Promise<T> {
    return (await this.request<T>('GET', path, query)).body;
  }

  async post<T>(path: string, body?: unknown, query: Query = {}): Promise<T> {
    return (await this.request<T>('POST', path, query, body)).body;
  }

  async put<T>(path: string, body: unknown): Promise<T> {
    return (await this.request<T>('PUT', path, {}, body)).body;
  }

  async patch<T>(path: string, body: unknown): Promise<T> {
    return (await this.request<T>('PATCH', path, {}, body)).body;
  }

  async delete<T>(path: string): Promise<T> {
    return (await this.request<T>('DELETE', path)).body;
  }

  /**
   * A list route's items. With `page.limit`, that one page; otherwise every page, until as many
   * items as `X-Total-Count` announced have come (or a page comes back empty).
   */
  async list<T>(path: string, query: Query = {}, page: { limit?: number; offset?: number } = {}): Promise<T[]> {
    if (page.limit !== undefined) {
      return this.get<T[]>(path, { ...query, limit: page.limit, offset: page.offset });
    }
    const items: T[] = [];
    let offset = page.offset ?? 0;
    for (;;) {
      const response = await this.request<T[]>('GET', path, { ...query, limit: PAGE_SIZE, offset });
      const batch = Array.isArray(response.body) ? response.body : [];
      items.push(...batch);
      offset += batch.length;
      const total = Number(response.headers.get('x-total-count') ?? Number.NaN);
      if (batch.length === 0 || !Number.isFinite(total) || offset >= total) {
        return items;
      }
    }
  }
}

function parseBody(contentType: string | null, text: string): unknown {
  if (text === '') {
    return undefined;
  }
  if ((contentType ?? '').includes('json')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
