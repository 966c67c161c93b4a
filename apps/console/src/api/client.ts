import { ApiError } from './errors';
import { clearSession, loadActingAccount, loadSession, saveActingAccount, saveSession } from './session-store';
import { type SessionView } from './types';

/** Why a session ended, for the sign-in page to say. */
export type SessionEnd = 'signed-out' | 'ended' | 'disabled' | 'password-changed';

export interface ApiResult<T> {
  data: T;
  /** X-Total-Count of a list, else null. */
  total: number | null;
}

export type Query = Record<string, string | number | boolean | undefined>;

interface RequestOptions {
  body?: unknown;
  query?: Query;
  /** Replaces the session's bearer (sign-in sends Basic). */
  authorization?: string;
}

type EndListener = (reason: SessionEnd) => void;

/** The routes of an account's own resources, where `x-anchore-account` picks the account. */
const ACCOUNT_SCOPED = /^\/v1\/(credentials|projects|secrets)(\/|$)/;

function queryString(query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function errorOf(response: Response): Promise<ApiError> {
  let message = '';
  let codes: string[] = [];
  try {
    const body = (await response.json()) as { message?: unknown; detail?: { error_codes?: unknown } };
    message = typeof body.message === 'string' ? body.message : '';
    codes = Array.isArray(body.detail?.error_codes) ? body.detail.error_codes.filter((code): code is string => typeof code === 'string') : [];
  } catch {
    // Not the API's JSON (a proxy's page, say): the status alone tells.
  }
  const retryAfter = Number(response.headers.get('Retry-After'));
  return new ApiError(response.status, message, codes, Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : null);
}

/** Basic credentials for the sign-in request, UTF-8 safe. */
export function basicAuthorization(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let binary = '';
  bytes.forEach((byte) => (binary += String.fromCharCode(byte)));
  return `Basic ${btoa(binary)}`;
}

/**
 * The console's one way to the API: JSON in and out, the session's bearer on every call. A 401
 * ends the session (it was signed out, its password changed or the user removed), and so does a
 * 403 ACCOUNT_NOT_ENABLED; the listener sends the person back to the sign-in page.
 */
export class ApiClient {
  private session: SessionView | null = loadSession();
  private acting: string | null = this.session ? loadActingAccount() : null;
  private readonly listeners = new Set<EndListener>();

  get current(): SessionView | null {
    return this.session;
  }

  /** The account whose projects, credentials and secrets the pages show: the user's own unless an administrator or staff chose another. */
  get actingAccount(): string | null {
    return this.acting ?? this.session?.account ?? null;
  }

  actIn(account: string): void {
    this.acting = account === this.session?.account ? null : account;
    saveActingAccount(this.acting);
  }

  onSessionEnd(listener: EndListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<ApiResult<T>> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const authorization = options.authorization ?? (this.session ? `Bearer ${this.session.token}` : undefined);
    if (authorization) headers['Authorization'] = authorization;
    if (this.acting && ACCOUNT_SCOPED.test(path)) headers['x-anchore-account'] = this.acting;
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${path}${queryString(options.query)}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      throw new ApiError(0, 'Network error', []);
    }
    if (!response.ok) {
      const error = await errorOf(response);
      if (options.authorization === undefined && this.session) {
        if (response.status === 401) this.end('ended');
        else if (error.code === 'ACCOUNT_NOT_ENABLED') this.end('disabled');
      }
      throw error;
    }
    const totalHeader = response.headers.get('X-Total-Count');
    const text = response.status === 204 ? '' : await response.text();
    const data = (text && (response.headers.get('Content-Type') ?? '').includes('json') ? JSON.parse(text) : text) as T;
    return { data, total: totalHeader === null ? null : Number(totalHeader) };
  }

  get<T>(path: string, query?: Query): Promise<ApiResult<T>> {
    return this.request<T>('GET', path, { query });
  }

  async post<T>(path: string, body: unknown = {}): Promise<T> {
    return (await this.request<T>('POST', path, { body })).data;
  }

  async patch<T>(path: string, body: unknown): Promise<T> {
    return (await this.request<T>('PATCH', path, { body })).data;
  }

  async put<T>(path: string, body: unknown): Promise<T> {
    return (await this.request<T>('PUT', path, { body })).data;
  }

  /** DELETE; most answer 204 and nothing, a few say what they removed. */
  async delete<T = void>(path: string): Promise<T> {
    return (await this.request<T>('DELETE', path)).data;
  }

  /** POST /v1/session with the username and password; the reply's token signs every later call. */
  async signIn(username: string, password: string): Promise<SessionView> {
    const { data } = await this.request<SessionView>('POST', '/v1/session', { body: {}, authorization: basicAuthorization(username, password) });
    this.session = data;
    this.acting = null;
    saveSession(data);
    saveActingAccount(null);
    return data;
  }

  /** Ends the session on the server (DELETE /v1/session), then here, whatever the server said. */
  async signOut(): Promise<void> {
    const token = this.session?.token;
    if (token) {
      await this.request<unknown>('DELETE', '/v1/session', { authorization: `Bearer ${token}` }).catch(() => undefined);
    }
    this.end('signed-out');
  }

  /** Ends the session here and tells the listeners why. */
  end(reason: SessionEnd): void {
    if (!this.session) return;
    this.session = null;
    this.acting = null;
    clearSession();
    this.listeners.forEach((listener) => listener(reason));
  }
}

export const api = new ApiClient();
