import {
  Body,
  Controller,
  ForbiddenException,
  Get,
  HttpCode,
  Logger,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
  UseGuards,
} from '@nestjs/common';
import { Prisma, ShipmentStatus } from '@prisma/client';
import { IsNumber, IsOptional, Matches, Min } from 'class-validator';
import { timingSafeEqual } from 'crypto';
import { CurrentDriver, DriverPrincipal, Public } from '../auth/decorators';
import { DriverTokenGuard } from '../auth/guards';
import { PrismaService } from '../prisma.service';
import { SmsService } from '../common/sms.service';

class DeliverDto {
  @Matches(/^[0-9]{6}$/)
  pin!: string;

  @IsOptional() @IsNumber({ maxDecimalPlaces: 2 }) @Min(0)
  codCollected?: number;
}

function deliveryPin(): string {
  return String(Math.floor(100000 + Math.random() * 900000));
}

// driver routes use their own token (not the merchant JWT), hence @Public + DriverTokenGuard
@Public()
@UseGuards(DriverTokenGuard)
@Controller('driver/shipments')
export class DriversController {
  private readonly logger = new Logger(DriversController.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly sms: SmsService,
  ) {}

  @Get()
  assigned(@CurrentDriver() driver: DriverPrincipal) {
    return this.prisma.shipment.findMany({
      where: { driverId: driver.driverId, status: { in: [ShipmentStatus.IN_TRANSIT, ShipmentStatus.OUT_FOR_DELIVERY] } },
      orderBy: { postalCode: 'asc' },
      take: 200,
      select: {
        id: true, trackingNumber: true, recipientName: true, recipientPhone: true, addressLine1: true,
        addressLine2: true, postalCode: true, city: true, codAmount: true, status: true,
      },
    });
  }

  @Post(':id/out-for-delivery')
  @HttpCode(204)
  async outForDelivery(@CurrentDriver() driver: DriverPrincipal, @Param('id', ParseUUIDPipe) id: string) {
    const pin = deliveryPin();
    const updated = await this.prisma.shipment.updateMany({
      where: { id, driverId: driver.driverId, status: ShipmentStatus.IN_TRANSIT },
      data: { status: ShipmentStatus.OUT_FOR_DELIVERY, deliveryPin: pin },
    });
    if (updated.count === 0) {
      throw new NotFoundException();
    }
    const shipment = await this.prisma.shipment.findUniqueOrThrow({ where: { id } });
    await this.sms.send(shipment.recipientPhone, `Your parcel ${shipment.trackingNumber} arrives today. Delivery code: ${pin}`);
  }

  @Post(':id/deliver')
  @HttpCode(204)
  async deliver(@CurrentDriver() driver: DriverPrincipal, @Param('id', ParseUUIDPipe) id: string, @Body() dto: DeliverDto) {
    const shipment = await this.prisma.shipment.findFirst({
      where: { id, driverId: driver.driverId, status: ShipmentStatus.OUT_FOR_DELIVERY },
    });
    if (!shipment || !shipment.deliveryPin) {
      throw new NotFoundException();
    }
    if (!timingSafeEqual(Buffer.from(shipment.deliveryPin), Buffer.from(dto.pin))) {
      throw new ForbiddenException('Wrong delivery code');
    }
    const cod = shipment.codAmount ?? 0;
    if (cod > 0 && dto.codCollected !== cod) {
      throw new ForbiddenException(`Collect ${cod.toFixed(2)} before completing the delivery`);
    }
    await this.prisma.$transaction([
      this.prisma.shipment.update({ where: { id }, data: { status: ShipmentStatus.DELIVERED, deliveryPin: null } }),
      this.prisma.trackingEvent.create({
        data: { shipmentId: id, code: 'DELIVERED', message: 'Delivered', occurredAt: new Date() },
      }),
      this.prisma.merchant.update({
        where: { id: shipment.merchantId },
        data: { codBalance: { increment: new Prisma.Decimal(cod) } },
      }),
    ]);
    this.logger.log(`shipment ${id} delivered by driver ${driver.driverId}`);
  }
}
