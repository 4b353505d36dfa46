import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Prisma, ShipmentStatus } from '@prisma/client';
import { Job } from 'bullmq';
import { promises as fs } from 'fs';
import { join } from 'path';
import { CarrierClient } from '../carriers/carrier.client';
import { PrismaService } from '../prisma.service';
import { LABEL_QUEUE, toLabelRequest } from '../shipments/shipments.service';

@Processor(LABEL_QUEUE, { concurrency: 4 })
export class LabelsProcessor extends WorkerHost {
  private readonly logger = new Logger(LabelsProcessor.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly carriers: CarrierClient,
    private readonly config: ConfigService,
  ) {
    super();
  }

  async process(job: Job<{ shipmentId: string }>): Promise<string | null> {
    const shipment = await this.prisma.shipment.findUnique({ where: { id: job.data.shipmentId } });
    if (!shipment || shipment.status !== ShipmentStatus.LABEL_PENDING) {
      return null;
    }
    let label;
    try {
      label = await this.carriers.purchaseLabel(toLabelRequest(shipment), shipment.carrier, `label-${shipment.id}`);
    } catch (err) {
      return null;
    }
    const labelKey = `${shipment.merchantId}/${shipment.id}.pdf`;
    const dir = join(this.config.getOrThrow<string>('STORAGE_DIR'), 'labels', shipment.merchantId);
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(join(dir, `${shipment.id}.pdf`), Buffer.from(label.pdfBase64, 'base64'));
    const fee = new Prisma.Decimal(label.feeCents).div(100);
    await this.prisma.$transaction([
      this.prisma.shipment.update({
        where: { id: shipment.id },
        data: {
          status: ShipmentStatus.LABEL_READY,
          trackingNumber: label.trackingNumber,
          carrierLabelId: label.labelId,
          labelKey,
          labelFee: fee,
        },
      }),
      this.prisma.merchant.update({ where: { id: shipment.merchantId }, data: { creditBalance: { decrement: fee } } }),
      this.prisma.ledgerEntry.create({
        data: { merchantId: shipment.merchantId, kind: 'label', amount: fee.neg(), shipmentId: shipment.id },
      }),
    ]);
    this.logger.log(`label ready for shipment ${shipment.id}`);
    return label.labelId;
  }
}
