import { BadRequestException, Controller, Headers, HttpCode, Logger, Post, RawBodyRequest, Req, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { Request } from 'express';
import { Repository } from 'typeorm';
import { createHmac } from 'crypto';
import { Public } from '../common/decorators/public.decorator';
import { WalletService } from '../wallet/wallet.service';
import { TopUp } from '../wallet/top-up.entity';
import { ProcessedEvent } from './processed-event.entity';

interface PaymentEvent {
  id: string;
  type: string;
  data: { chargeId: string; metadata?: { topUpId?: string } };
}

@Public()
@Controller('payments/webhook')
export class PaymentsWebhookController {
  private readonly logger = new Logger(PaymentsWebhookController.name);

  constructor(
    private readonly config: ConfigService,
    private readonly wallet: WalletService,
    @InjectRepository(TopUp) private readonly topUps: Repository<TopUp>,
    @InjectRepository(ProcessedEvent) private readonly processed: Repository<ProcessedEvent>,
  ) {}

  @Post()
  @HttpCode(200)
  async handle(@Req() req: RawBodyRequest<Request>, @Headers('x-paystream-signature') signature?: string) {
    if (!req.rawBody || !signature) {
      throw new BadRequestException();
    }
    const expected = createHmac('sha256', this.config.get<string>('payments.webhookSecret')!)
      .update(req.rawBody)
      .digest('hex');
    if (expected !== signature) {
      throw new UnauthorizedException('Bad signature');
    }

    const event = JSON.parse(req.rawBody.toString('utf8')) as PaymentEvent;
    const inserted = await this.processed
      .createQueryBuilder()
      .insert()
      .values({ eventId: event.id, type: event.type })
      .orIgnore()
      .execute();
    if (!inserted.raw?.length) {
      return { received: true, duplicate: true };
    }

    if (event.type === 'charge.succeeded') {
      const topUp = await this.topUps.findOne({ where: { chargeId: event.data.chargeId } });
      if (topUp) {
        await this.wallet.creditForTopUp(topUp.id);
      } else {
        this.logger.warn(`charge.succeeded for unknown charge ${event.data.chargeId}`);
      }
    } else if (event.type === 'charge.failed') {
      await this.topUps.update({ chargeId: event.data.chargeId, status: 'pending' }, { status: 'failed' });
    }
    return { received: true };
  }
}
