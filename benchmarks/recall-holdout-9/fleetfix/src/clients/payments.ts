import axios, { AxiosInstance } from "axios";
import crypto from "crypto";
import { config } from "../config";

export interface Charge {
  id: string;
  status: "succeeded" | "pending" | "failed";
  amount: number;
}

export class PayrailClient {
  constructor(private readonly http: AxiosInstance) {}

  async charge(amountCents: number, currency: string, paymentMethod: string, reference: string): Promise<Charge> {
    const { data } = await this.http.post<Charge>("/charges", {
      amount: amountCents,
      currency,
      payment_method: paymentMethod,
      reference,
    });
    return data;
  }

  async refund(chargeId: string, amountCents: number, idempotencyKey: string): Promise<{ id: string }> {
    const { data } = await this.http.post(
      `/charges/${encodeURIComponent(chargeId)}/refunds`,
      { amount: amountCents },
      { headers: { "Idempotency-Key": idempotencyKey } },
    );
    return data;
  }

  verifySignature(rawBody: Buffer, header: string | undefined): boolean {
    if (!header) return false;
    const expected = crypto.createHmac("sha256", config.payrail.webhookSecret).update(rawBody).digest();
    const given = Buffer.from(header, "hex");
    return given.length === expected.length && crypto.timingSafeEqual(given, expected);
  }
}

let client: PayrailClient | undefined;

export function payrail(): PayrailClient {
  if (!client) {
    const http = axios.create({
      baseURL: config.payrail.baseUrl,
      headers: { Authorization: `Bearer ${config.payrail.apiKey}` },
    });
    client = new PayrailClient(http);
  }
  return client;
}
