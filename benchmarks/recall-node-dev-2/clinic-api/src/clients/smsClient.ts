export interface SmsClient {
  send(to: string, body: string): Promise<void>;
}

export function createSmsClient(opts: { baseUrl: string; apiKey: string; sender: string; timeoutMs: number }): SmsClient {
  return {
    async send(to, body) {
      const res = await fetch(new URL('/messages', opts.baseUrl), {
        method: 'POST',
        headers: { Authorization: `Bearer ${opts.apiKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ from: opts.sender, to, body }),
        signal: AbortSignal.timeout(opts.timeoutMs),
      });
      if (!res.ok) {
        throw new Error(`sms provider responded ${res.status}`);
      }
    },
  };
}
