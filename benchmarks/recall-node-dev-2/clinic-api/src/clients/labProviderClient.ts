import { withRetry } from '../utils/retry.js';
import type { IncomingLabResult } from '../repositories/LabResultRepository.js';

class LabProviderError extends Error {
  constructor(
    public readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const isRetryable = (err: unknown) =>
  !(err instanceof LabProviderError) || err.status >= 500 || err.status === 429;

export class LabProviderClient {
  constructor(private readonly opts: { baseUrl: string; apiKey: string; timeoutMs: number }) {}

  private async get(path: string, accept: string): Promise<Response> {
    return withRetry(
      async () => {
        const res = await fetch(new URL(path, this.opts.baseUrl), {
          headers: { Authorization: `Bearer ${this.opts.apiKey}`, Accept: accept },
          signal: AbortSignal.timeout(this.opts.timeoutMs),
        });
        if (!res.ok) throw new LabProviderError(res.status, `lab provider responded ${res.status}`);
        return res;
      },
      { attempts: 4, baseDelayMs: 300, maxDelayMs: 5_000, retryOn: isRetryable },
    );
  }

  async fetchResultsSince(cursor: string | null): Promise<{ results: IncomingLabResult[]; nextCursor: string }> {
    const path = cursor ? `/v2/results?since=${encodeURIComponent(cursor)}` : '/v2/results';
    const res = await this.get(path, 'application/json');
    return (await res.json()) as { results: IncomingLabResult[]; nextCursor: string };
  }

  async fetchReportPdf(externalId: string): Promise<Buffer> {
    const res = await this.get(`/v2/results/${encodeURIComponent(externalId)}/report.pdf`, 'application/pdf');
    return Buffer.from(await res.arrayBuffer());
  }
}
