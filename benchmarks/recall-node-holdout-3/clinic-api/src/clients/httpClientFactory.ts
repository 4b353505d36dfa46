import axios, { AxiosInstance } from 'axios';
import https from 'https';
import { logger } from '../logger';

export interface HttpClientOptions {
  name: string;
  baseURL?: string;
  timeoutMs?: number;
  headers?: Record<string, string>;
  ca?: string;
  maxContentLength?: number;
}

/**
 * Builds the outbound HTTP clients. Every client gets request/response logging
 * with the same shape so that the dashboards can group calls by dependency.
 */
export class HttpClientFactory {
  private readonly agent = new https.Agent({ keepAlive: true, maxSockets: 50 });

  create(options: HttpClientOptions): AxiosInstance {
    const agent = options.ca
      ? new https.Agent({ keepAlive: true, maxSockets: 50, ca: options.ca })
      : this.agent;
    const client = axios.create({
      baseURL: options.baseURL,
      timeout: options.timeoutMs,
      headers: { 'User-Agent': 'clinic-api/1.14', ...(options.headers ?? {}) },
      httpsAgent: agent,
      maxContentLength: options.maxContentLength ?? 2 * 1024 * 1024,
    });

    client.interceptors.response.use(
      (response) => {
        logger.debug(
          { dependency: options.name, status: response.status, url: response.config.url },
          'outbound call',
        );
        return response;
      },
      (error) => {
        logger.warn(
          { dependency: options.name, status: error.response?.status, code: error.code },
          'outbound call failed',
        );
        return Promise.reject(error);
      },
    );
    return client;
  }
}
