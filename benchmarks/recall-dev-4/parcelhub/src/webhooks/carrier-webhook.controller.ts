import { Controller, Headers, HttpCode, Post, RawBodyRequest, Req, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Prisma, ShipmentStatus } from '@prisma/client';
import { createHmac, timingSafeEqual } from 'crypto';
import { Request } from 'express';
import { Public } from '../auth/decorators';
import { PrismaService } from '../prisma.service';

interface CarrierEvent {
  id: string;
  carrier: string;
  trackingNumber: string;
  code: string;
  message: string;
  location?: string;
  occurredAt: string;
}

const STATUS_BY_CODE: Record<string, ShipmentStatus> = {
  PICKED_UP: ShipmentStatus.IN_TRANSIT,
  IN_TRANSIT: ShipmentStatus.IN_TRANSIT,
};

@Public()
@Controller('webhooks/carrier')
export class CarrierWebhookController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly config: ConfigService,
  ) {}

  private verify(raw: Buffer, signature: string | undefined): void {
    const expected = createHmac('sha256', this.config.getOrThrow<string>('SHIPBRIDGE_WEBHOOK_SECRET'))
      .update(raw)
      .digest();
    const given = Buffer.from(signature ?? '', 'hex');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new UnauthorizedException('bad signature');
    }
  }

  @Post()
  @HttpCode(200)
  async receive(@Req() req: RawBodyRequest<Request>, @Headers('x-shipbridge-signature') signature?: string) {
    this.verify(req.rawBody!, signature);
    const events: CarrierEvent[] = JSON.parse(req.rawBody!.toString('utf8')).events;
    let applied = 0;
    for (const event of events.slice(0, 100)) {
      const done = await this.prisma.$transaction(async (tx) => {
        try {
          await tx.webhookReceipt.create({ data: { id: event.id, carrier: event.carrier } });
        } catch (err) {
          if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
            return false; // already processed
          }
          throw err;
        }
        const shipment = await tx.shipment.findFirst({ where: { trackingNumber: event.trackingNumber } });
        if (!shipment) {
          return false;
        }
        await tx.trackingEvent.create({
          data: {
            shipmentId: shipment.id,
            code: event.code,
            message: event.message,
            location: event.location,
            occurredAt: new Date(event.occurredAt),
          },
        });
        const next = STATUS_BY_CODE[event.code];
        if (next) {
          await tx.shipment.updateMany({
            where: { id: shipment.id, status: ShipmentStatus.LABEL_READY },
            data: { status: next },
          });
        }
        return true;
      });
      applied += done ? 1 : 0;
    }
    return { applied };
  }
}
