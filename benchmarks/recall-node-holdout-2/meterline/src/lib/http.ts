import axios, { AxiosInstance } from 'axios';
import { lookup } from 'node:dns/promises';
import net from 'node:net';
import { unprocessable } from './errors';

export function createHttpClient(opts: { timeoutMs: number; userAgent?: string }): AxiosInstance {
  return axios.create({
    timeout: opts.timeoutMs,
    maxRedirects: 0,
    maxContentLength: 1_000_000,
    headers: { 'User-Agent': opts.userAgent ?? 'meterline-webhooks/1.14' },
    validateStatus: () => true,
  });
}

const PRIVATE_V4 = [
  ['10.0.0.0', 8],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['100.64.0.0', 10],
  ['0.0.0.0', 8],
] as const;

function ipv4ToInt(ip: string): number {
  return ip.split('.').reduce((acc, octet) => (acc << 8) + Number(octet), 0) >>> 0;
}

function isPrivateAddress(address: string): boolean {
  if (net.isIPv6(address)) {
    const lower = address.toLowerCase();
    if (lower.startsWith('::ffff:')) return isPrivateAddress(lower.slice(7));
    return lower === '::1' || lower === '::' || lower.startsWith('fc') || lower.startsWith('fd') || lower.startsWith('fe80');
  }
  const value = ipv4ToInt(address);
  return PRIVATE_V4.some(([base, bits]) => {
    const mask = (~0 << (32 - bits)) >>> 0;
    return (value & mask) === (ipv4ToInt(base) & mask);
  });
}

/** Rejects non-https URLs and hosts that resolve to loopback, link-local or private ranges. */
export async function assertPublicUrl(raw: string): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw unprocessable('Invalid URL');
  }
  if (url.protocol !== 'https:') throw unprocessable('Webhook URLs must use https');
  if (url.username || url.password) throw unprocessable('Credentials in URLs are not allowed');
  const addresses = await lookup(url.hostname, { all: true });
  if (addresses.length === 0 || addresses.some((a) => isPrivateAddress(a.address))) {
    throw unprocessable('Webhook URL must resolve to a public address');
  }
  return url;
}
