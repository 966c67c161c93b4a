import { signRequest } from '@keyward/domain';

export interface ApiResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface Credentials {
  username: string;
  password: string;
}

/** An API token, sent as a bearer token or used to sign each request. */
export interface TokenAuth {
  token: string;
  mode: 'bearer' | 'sign';
  /** The signing time; now when unset. */
  now?: () => Date;
}

/** Speaks to the gateway exactly as an HTTP client would. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    readonly credentials?: Credentials,
    private readonly extraHeaders: Record<string, string> = {},
    private readonly tokenAuth?: TokenAuth,
  ) {}

  /** The same client acting in another account (`x-anchore-account`). */
  inAccount(account: string): ApiClient {
    return new ApiClient(this.baseUrl, this.credentials, { ...this.extraHeaders, 'x-anchore-account': account }, this.tokenAuth);
  }

  as(credentials: Credentials | undefined): ApiClient {
    return new ApiClient(this.baseUrl, credentials, this.extraHeaders);
  }

  /** This client authenticating with an API token instead of a password. */
  withToken(token: string, mode: TokenAuth['mode'] = 'sign', now?: () => Date): ApiClient {
    return new ApiClient(this.baseUrl, undefined, this.extraHeaders, { token, mode, now });
  }

  async request<T = unknown>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    const allHeaders: Record<string, string> = { ...this.extraHeaders, ...headers };
    if (this.credentials) {
      const token = Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64');
      allHeaders['authorization'] = `Basic ${token}`;
    }
    let payload: string | undefined;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      allHeaders['content-type'] ??= 'application/json';
    }
    if (this.tokenAuth && allHeaders['authorization'] === undefined) {
      const { token, mode, now } = this.tokenAuth;
      allHeaders['authorization'] = mode === 'bearer' ? `Bearer ${token}` : signRequest(token, { method, url: path, body: payload }, now ? now() : new Date());
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers: allHeaders, body: payload });
    const text = await response.text();
    let parsed: unknown = text;
    if ((response.headers.get('content-type') ?? '').includes('json') && text !== '') {
      parsed = JSON.parse(text);
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  get<T = unknown>(path: string) {
    return this.request<T>('GET', path);
  }

  post<T = unknown>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body);
  }

  put<T = unknown>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body);
  }

  patch<T = unknown>(path: string, body?: unknown) {
    return this.request<T>('PATCH', path, body);
  }

  delete<T = unknown>(path: string) {
    return this.request<T>('DELETE', path);
  }
}

/** The first stable error code of an error reply (`detail.error_codes[0]`). */
export function errorCodeOf(response: ApiResponse): string | undefined {
  return (response.body as { detail?: { error_codes?: string[] } } | undefined)?.detail?.error_codes?.[0];
}
