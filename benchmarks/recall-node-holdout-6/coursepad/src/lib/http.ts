import { Agent, request, type Dispatcher } from 'undici';
import { HttpError } from './errors.js';

export interface HttpClientOptions {
  baseUrl: string;
  headers?: Record<string, string>;
  timeoutMs: number;
}

export interface HttpClient {
  post<T>(path: string, body: unknown, headers?: Record<string, string>): Promise<T>;
  get<T>(path: string): Promise<T>;
}

export function createHttpClient(opts: HttpClientOptions): HttpClient {
  const dispatcher: Dispatcher = new Agent({
    connect: { timeout: Math.min(opts.timeoutMs, 3000) },
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
    keepAliveTimeout: 10_000,
  });

  async function send<T>(method: 'GET' | 'POST', path: string, body?: unknown, extra?: Record<string, string>): Promise<T> {
    const url = new URL(path, opts.baseUrl);
    const res = await request(url, {
      method,
      dispatcher,
      headers: { 'content-type': 'application/json', ...opts.headers, ...extra },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    if (res.statusCode >= 400) {
      throw new HttpError(res.statusCode >= 500 ? 502 : 424, `upstream request failed (${res.statusCode})`, 'UPSTREAM_ERROR');
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  return {
    post: (path, body, headers) => send('POST', path, body, headers),
    get: (path) => send('GET', path),
  };
}

export function backoffDelay(attempt: number, baseMs = 200, capMs = 5000): number {
  const exp = Math.min(capMs, baseMs * 2 ** attempt);
  return Math.floor(Math.random() * exp);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
