import { InjectQueue } from '@nestjs/bullmq';
import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Prisma, Shipment, ShipmentStatus } from '@prisma/client';
import { Queue } from 'bullmq';
import { randomUUID } from 'crypto';
import { promises as fs } from 'fs';
import { join } from 'path';
import { AddressClient, CarrierClient, LabelRequest } from '../carriers/carrier.client';
import { PrismaService } from '../prisma.service';
import { CreateShipmentDto } from './dto';
import { ShipmentsRepository } from './shipments.repository';

export const LABEL_QUEUE = 'labels';

export function toLabelRequest(s: Shipment): LabelRequest {
  return {
    reference: s.reference,
    weightKg: s.weightKg,
    recipient: {
      name: s.recipientName,
      line1: s.addressLine1,
      line2: s.addressLine2,
      postalCode: s.postalCode,
      city: s.city,
      country: s.country,
    },
  };
}

@Injectable()
export class ShipmentsService {
  private readonly logger = new Logger(ShipmentsService.name);
  private readonly storageDir: string;

  constructor(
    private readonly prisma: PrismaService,
    private readonly repo: ShipmentsRepository,
    private readonly carriers: CarrierClient,
    private readonly addresses: AddressClient,
    @InjectQueue(LABEL_QUEUE) private readonly labels: Queue,
    config: ConfigService,
  ) {
    this.storageDir = config.getOrThrow<string>('STORAGE_DIR');
  }

  async create(merchantId: string, dto: CreateShipmentDto): Promise<Shipment> {
    let { line1, postalCode, city } = dto.recipient;
    try {
      const check = await this.addresses.check(line1, postalCode, city, dto.recipient.country);
      if (check.valid && check.normalized) {
        ({ line1, postalCode, city } = check.normalized);
      }
    } catch (err) {
      // validation is best effort: the carrier rejects undeliverable addresses at label time
      this.logger.warn(`address validation unavailable: ${(err as Error).message}`);
    }
    try {
      return await this.prisma.$transaction(async (tx) => {
        const shipment = await tx.shipment.create({
          data: {
            merchantId,
            reference: dto.reference,
            trackingNumber: `PH${Date.now().toString(36).toUpperCase()}${randomUUID().slice(0, 4).toUpperCase()}`,
            carrier: dto.carrier,
            recipientName: dto.recipient.name,
            recipientPhone: dto.recipient.phone,
            addressLine1: line1,
            addressLine2: dto.recipient.line2,
            postalCode,
            city,
            country: dto.recipient.country.toUpperCase(),
            weightKg: dto.weightKg,
            codAmount: dto.codAmount,
          },
        });
        await tx.trackingEvent.create({
          data: { shipmentId: shipment.id, code: 'CREATED', message: 'Shipment created', occurredAt: new Date() },
        });
        return shipment;
      });
    } catch (err) {
      if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
        throw new ConflictException(`Reference ${dto.reference} already used`);
      }
      throw err;
    }
  }

  async requestLabel(merchantId: string, id: string): Promise<Shipment> {
    const claimed = await this.prisma.shipment.updateMany({
      where: { id, merchantId, status: ShipmentStatus.DRAFT },
      data: { status: ShipmentStatus.LABEL_PENDING },
    });
    if (claimed.count === 0) {
      throw new ConflictException('Label already requested or shipment not found');
    }
    await this.labels.add('purchase', { shipmentId: id }, { jobId: `label-${id}` });
    return this.repo.findForMerchant(merchantId, id);
  }

  async returnLabel(merchantId: string, id: string) {
    const shipment = await this.repo.findForMerchant(merchantId, id);
    if (shipment.status !== ShipmentStatus.DELIVERED) {
      throw new ConflictException('Only delivered shipments can be returned');
    }
    const label = await this.carriers.purchaseLabel(toLabelRequest(shipment), shipment.carrier, randomUUID());
    await this.prisma.$transaction([
      this.prisma.merchant.update({
        where: { id: merchantId },
        data: { creditBalance: { decrement: new Prisma.Decimal(label.feeCents).div(100) } },
      }),
      this.prisma.ledgerEntry.create({
        data: { merchantId, kind: 'return_label', amount: new Prisma.Decimal(-label.feeCents).div(100), shipmentId: id },
      }),
    ]);
    return { trackingNumber: label.trackingNumber, pdfBase64: label.pdfBase64 };
  }

  async cancel(merchantId: string, id: string): Promise<void> {
    const shipment = await this.repo.findForMerchant(merchantId, id);
    if (shipment.status !== ShipmentStatus.LABEL_READY && shipment.status !== ShipmentStatus.DRAFT) {
      throw new ConflictException(`Cannot cancel a shipment in status ${shipment.status}`);
    }
    if (shipment.carrierLabelId) {
      await this.carriers.voidLabel(shipment.carrierLabelId);
    }
    await this.prisma.shipment.update({ where: { id }, data: { status: ShipmentStatus.CANCELLED } });
    if (shipment.labelFee.gt(0)) {
      await this.prisma.merchant.update({
        where: { id: merchantId },
        data: { creditBalance: { increment: shipment.labelFee } },
      });
      await this.prisma.ledgerEntry.create({
        data: { merchantId, kind: 'label_refund', amount: shipment.labelFee, shipmentId: id },
      });
    }
  }

  async getLabel(id: string): Promise<Buffer> {
    const shipment = await this.prisma.shipment.findUnique({ where: { id } });
    if (!shipment || !shipment.labelKey) {
      throw new NotFoundException('Label not ready');
    }
    return fs.readFile(join(this.storageDir, 'labels', shipment.labelKey));
  }

  async readDocument(merchantId: string, name: string): Promise<Buffer> {
    const path = join(this.storageDir, 'documents', merchantId, name);
    try {
      return await fs.readFile(path);
    } catch {
      throw new NotFoundException('Document not found');
    }
  }
}
