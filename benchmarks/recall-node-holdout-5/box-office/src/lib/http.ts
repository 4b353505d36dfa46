import { Dispatcher, Pool, request } from 'undici';

export interface JsonClient {
  get<T>(path: string, headers?: Record<string, string>): Promise<T>;
  post<T>(path: string, body: unknown, headers?: Record<string, string>): Promise<T>;
  close(): Promise<void>;
}

export class UpstreamError extends Error {
  constructor(
    public readonly status: number,
    public readonly body: string,
  ) {
    super(`upstream answered ${status}`);
  }
}

/**
 * One keep-alive pool per upstream, with connect/headers/body timeouts on every request.
 */
export function createJsonClient(baseUrl: string, opts: { timeoutMs: number; defaultHeaders?: Record<string, string> }): JsonClient {
  const pool = new Pool(baseUrl, {
    connections: 32,
    connectTimeout: Math.min(opts.timeoutMs, 5_000),
    headersTimeout: opts.timeoutMs,
    bodyTimeout: opts.timeoutMs,
  });

  async function send<T>(method: Dispatcher.HttpMethod, path: string, body?: unknown, headers?: Record<string, string>): Promise<T> {
    const res = await pool.request({
      method,
      path,
      headers: { 'content-type': 'application/json', ...opts.defaultHeaders, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.body.text();
    if (res.statusCode >= 400) {
      throw new UpstreamError(res.statusCode, text.slice(0, 500));
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }

  return {
    get: (path, headers) => send('GET', path, undefined, headers),
    post: (path, body, headers) => send('POST', path, body, headers),
    close: () => pool.close(),
  };
}

export async function fetchText(url: string, timeoutMs: number, maxBytes: number): Promise<string> {
  const res = await request(url, {
    method: 'GET',
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    maxRedirections: 0,
  });
  if (res.statusCode !== 200) {
    await res.body.dump();
    throw new UpstreamError(res.statusCode, '');
  }
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of res.body) {
    size += chunk.length;
    if (size > maxBytes) {
      res.body.destroy();
      throw new Error('response too large');
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
