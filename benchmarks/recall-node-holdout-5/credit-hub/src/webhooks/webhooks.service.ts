import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { InjectQueue } from '@nestjs/bull';
import { Queue } from 'bull';
import { LessThan, Repository } from 'typeorm';
import { randomBytes } from 'crypto';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookDelivery } from './webhook-delivery.entity';
import { assertPublicHttpsUrl } from '../common/utils/url-guard';

export const WEBHOOK_EVENTS = ['wallet.low_balance', 'invoice.issued', 'top_up.succeeded', 'top_up.failed'] as const;

export interface DeliverJob {
  deliveryId: string;
}

@Injectable()
export class WebhooksService {
  constructor(
    @InjectRepository(WebhookEndpoint) private readonly endpoints: Repository<WebhookEndpoint>,
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
    @InjectQueue('webhooks') private readonly queue: Queue<DeliverJob>,
  ) {}

  async register(orgId: string, url: string, events: string[]): Promise<WebhookEndpoint & { secret: string }> {
    try {
      await assertPublicHttpsUrl(url);
    } catch (err) {
      throw new BadRequestException((err as Error).message);
    }
    const count = await this.endpoints.count({ where: { orgId } });
    if (count >= 10) {
      throw new BadRequestException('At most 10 webhook endpoints per organization');
    }
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    const endpoint = await this.endpoints.save(
      this.endpoints.create({ orgId, url, events, signingSecret: secret }),
    );
    return Object.assign(endpoint, { secret });
  }

  list(orgId: string): Promise<WebhookEndpoint[]> {
    return this.endpoints.find({ where: { orgId }, order: { createdAt: 'ASC' }, take: 10 });
  }

  async remove(orgId: string, endpointId: string): Promise<void> {
    const result = await this.endpoints.delete({ id: endpointId, orgId });
    if (!result.affected) {
      throw new NotFoundException('Endpoint not found');
    }
  }

  async deliveriesFor(orgId: string, endpointId: string, before?: Date): Promise<WebhookDelivery[]> {
    return this.deliveries.find({
      where: { orgId, endpointId, ...(before ? { createdAt: LessThan(before) } : {}) },
      order: { createdAt: 'DESC' },
      take: 50,
    });
  }

  async emit(orgId: string, eventType: string, payload: Record<string, unknown>): Promise<void> {
    const targets = await this.endpoints.find({ where: { orgId, enabled: true } });
    const subscribed = targets.filter((t) => t.events.includes(eventType));
    if (subscribed.length === 0) {
      return;
    }
    const rows = await this.deliveries.save(
      subscribed.map((t) => this.deliveries.create({ endpointId: t.id, orgId, eventType, payload })),
    );
    await this.queue.addBulk(
      rows.map((row) => ({
        name: 'deliver',
        data: { deliveryId: row.id },
        opts: {
          jobId: row.id,
          attempts: 8,
          backoff: { type: 'exponential', delay: 10_000 },
          removeOnComplete: 1000,
        },
      })),
    );
  }
}
