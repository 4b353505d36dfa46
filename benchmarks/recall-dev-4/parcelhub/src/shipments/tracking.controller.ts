import { Body, Controller, Get, NotFoundException, Param, Post } from '@nestjs/common';
import { ShipmentStatus } from '@prisma/client';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { Public } from '../auth/decorators';
import { PrismaService } from '../prisma.service';

class RedirectDeliveryDto {
  @IsString() @MaxLength(200) line1!: string;
  @IsOptional() @IsString() @MaxLength(200) line2?: string;
  @IsString() @MaxLength(20) postalCode!: string;
  @IsString() @MaxLength(100) city!: string;
  @IsOptional() @Matches(/^\+?[0-9 ]{6,20}$/) phone?: string;
}

/** Recipient-facing tracking page API (linked from the carrier SMS). */
@Public()
@Controller('track')
export class TrackingController {
  constructor(private readonly prisma: PrismaService) {}

  @Get(':trackingNumber')
  async track(@Param('trackingNumber') trackingNumber: string) {
    const shipment = await this.prisma.shipment.findFirst({
      where: { trackingNumber },
      select: {
        trackingNumber: true,
        status: true,
        carrier: true,
        city: true,
        country: true,
        events: { orderBy: { occurredAt: 'desc' }, take: 20, select: { code: true, message: true, occurredAt: true } },
      },
    });
    if (!shipment) {
      throw new NotFoundException();
    }
    return shipment;
  }

  @Post(':trackingNumber/redirect')
  async redirectDelivery(@Param('trackingNumber') trackingNumber: string, @Body() dto: RedirectDeliveryDto) {
    const shipment = await this.prisma.shipment.findFirst({ where: { trackingNumber } });
    if (!shipment || shipment.status === ShipmentStatus.DELIVERED || shipment.status === ShipmentStatus.CANCELLED) {
      throw new NotFoundException();
    }
    await this.prisma.shipment.update({
      where: { id: shipment.id },
      data: {
        addressLine1: dto.line1,
        addressLine2: dto.line2 ?? null,
        postalCode: dto.postalCode,
        city: dto.city,
        ...(dto.phone ? { recipientPhone: dto.phone } : {}),
      },
    });
    await this.prisma.trackingEvent.create({
      data: { shipmentId: shipment.id, code: 'REDIRECTED', message: 'Delivery address changed', occurredAt: new Date() },
    });
    return { ok: true };
  }
}
