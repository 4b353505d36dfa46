import { Logger } from '@nestjs/common';
import { HttpService } from '@nestjs/axios';
import { Process, Processor } from '@nestjs/bull';
import { InjectRepository } from '@nestjs/typeorm';
import { Job } from 'bull';
import { Repository } from 'typeorm';
import { createHmac } from 'crypto';
import { firstValueFrom } from 'rxjs';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookDelivery } from './webhook-delivery.entity';
import { DeliverJob } from './webhooks.service';
import { assertPublicHttpsUrl } from '../common/utils/url-guard';

@Processor('webhooks')
export class WebhookDeliveryProcessor {
  private readonly logger = new Logger(WebhookDeliveryProcessor.name);

  constructor(
    private readonly http: HttpService,
    @InjectRepository(WebhookEndpoint) private readonly endpoints: Repository<WebhookEndpoint>,
    @InjectRepository(WebhookDelivery) private readonly deliveries: Repository<WebhookDelivery>,
  ) {}

  @Process({ name: 'deliver', concurrency: 10 })
  async deliver(job: Job<DeliverJob>): Promise<void> {
    const delivery = await this.deliveries.findOne({ where: { id: job.data.deliveryId } });
    if (!delivery || delivery.deliveredAt) {
      return;
    }
    const endpoint = await this.endpoints.findOne({ where: { id: delivery.endpointId, enabled: true } });
    if (!endpoint) {
      this.logger.warn(`endpoint ${delivery.endpointId} gone; dropping delivery ${delivery.id}`);
      return;
    }
    await assertPublicHttpsUrl(endpoint.url);

    const body = JSON.stringify({ id: delivery.id, type: delivery.eventType, data: delivery.payload });
    const timestamp = Math.floor(Date.now() / 1000).toString();
    const signature = createHmac('sha256', endpoint.signingSecret).update(`${timestamp}.${body}`).digest('hex');

    await this.deliveries.increment({ id: delivery.id }, 'attempts', 1);
    try {
      const res = await firstValueFrom(
        this.http.post(endpoint.url, body, {
          headers: {
            'Content-Type': 'application/json',
            'X-CreditHub-Timestamp': timestamp,
            'X-CreditHub-Signature': `v1=${signature}`,
            'X-CreditHub-Delivery': delivery.id,
          },
          maxRedirects: 0,
          validateStatus: () => true,
        }),
      );
      await this.deliveries.update({ id: delivery.id }, { statusCode: res.status });
      if (res.status < 200 || res.status >= 300) {
        throw new Error(`endpoint answered ${res.status}`);
      }
      await this.deliveries.update({ id: delivery.id }, { deliveredAt: new Date() });
    } catch (err) {
      this.logger.warn(`delivery ${delivery.id} attempt ${job.attemptsMade + 1} failed: ${(err as Error).message}`);
      throw err;
    }
  }
}
