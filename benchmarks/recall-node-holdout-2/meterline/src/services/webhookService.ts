import type { Prisma, PrismaClient, WebhookDelivery, WebhookEndpoint } from '@prisma/client';
import type { AxiosInstance } from 'axios';
import type { Logger } from '../lib/logger';
import { notFound } from '../lib/errors';
import { assertPublicUrl } from '../lib/http';
import { SecretBox, newWebhookSecret, signPayload } from '../lib/crypto';
import type { CreateEndpointInput } from '../http/schemas';

const ENDPOINT_FIELDS = { id: true, url: true, description: true, events: true, enabled: true, createdAt: true } as const;

export type DeliveryWithEndpoint = WebhookDelivery & { endpoint: WebhookEndpoint };

export class WebhookService {
  constructor(
    private readonly prisma: PrismaClient,
    private readonly http: AxiosInstance,
    private readonly box: SecretBox,
    private readonly logger: Logger,
  ) {}

  async createEndpoint(workspaceId: string, input: CreateEndpointInput) {
    await assertPublicUrl(input.url);
    const secret = newWebhookSecret();
    const endpoint = await this.prisma.webhookEndpoint.create({
      data: {
        workspaceId,
        url: input.url,
        description: input.description,
        events: input.events,
        secretEncrypted: this.box.encrypt(secret),
      },
      select: ENDPOINT_FIELDS,
    });
    return { ...endpoint, secret };
  }

  async listEndpoints(workspaceId: string) {
    return this.prisma.webhookEndpoint.findMany({ where: { workspaceId }, select: ENDPOINT_FIELDS, take: 100 });
  }

  async deleteEndpoint(workspaceId: string, endpointId: string) {
    const { count } = await this.prisma.webhookEndpoint.deleteMany({ where: { id: endpointId, workspaceId } });
    if (count === 0) throw notFound('Webhook endpoint');
  }

  /** Sends a sample event so customers can check their receiver before saving it. */
  async sendTest(workspaceId: string, url: string) {
    const body = JSON.stringify({
      id: `evt_test_${Date.now()}`,
      type: 'usage.threshold',
      workspaceId,
      data: { meter: 'api_calls', threshold: 1000, test: true },
    });
    const response = await this.http.post(url, body, {
      headers: { 'Content-Type': 'application/json', 'Meterline-Test': '1' },
    });
    return { status: response.status, body: String(response.data).slice(0, 2000) };
  }

  async enqueue(tx: Prisma.TransactionClient, workspaceId: string, eventType: string, payload: Prisma.InputJsonObject) {
    const endpoints = await tx.webhookEndpoint.findMany({
      where: { workspaceId, enabled: true, events: { has: eventType } },
      select: { id: true },
    });
    if (endpoints.length === 0) return 0;
    const { count } = await tx.webhookDelivery.createMany({
      data: endpoints.map((e) => ({ endpointId: e.id, eventType, payload: { ...payload, type: eventType } })),
    });
    return count;
  }

  /** Returns true when the receiver acknowledged with 2xx. */
  async deliver(delivery: DeliveryWithEndpoint): Promise<boolean> {
    await assertPublicUrl(delivery.endpoint.url);
    const secret = this.box.decrypt(delivery.endpoint.secretEncrypted);
    const body = JSON.stringify({ id: delivery.id, type: delivery.eventType, data: delivery.payload });
    const timestamp = Math.floor(Date.now() / 1000);
    const response = await this.http.post(delivery.endpoint.url, body, {
      headers: {
        'Content-Type': 'application/json',
        'Meterline-Signature': `t=${timestamp},v1=${signPayload(secret, timestamp, body)}`,
      },
    });
    if (response.status >= 200 && response.status < 300) return true;
    this.logger.info({ deliveryId: delivery.id, status: response.status }, 'webhook receiver rejected delivery');
    return false;
  }
}
