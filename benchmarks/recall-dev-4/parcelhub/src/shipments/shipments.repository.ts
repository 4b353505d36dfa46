import { Injectable, NotFoundException } from '@nestjs/common';
import { Prisma, Shipment, TrackingEvent } from '@prisma/client';
import { PrismaService } from '../prisma.service';

const BUCKETS: Record<'day' | 'week' | 'month', Prisma.Sql> = {
  day: Prisma.sql`date_trunc('day', "createdAt")`,
  week: Prisma.sql`date_trunc('week', "createdAt")`,
  month: Prisma.sql`date_trunc('month', "createdAt")`,
};

export type ShipmentWithEvents = Shipment & { events: TrackingEvent[] };

@Injectable()
export class ShipmentsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async findForMerchant(merchantId: string, id: string): Promise<Shipment> {
    const shipment = await this.prisma.shipment.findFirst({ where: { id, merchantId } });
    if (!shipment) {
      throw new NotFoundException('Shipment not found');
    }
    return shipment;
  }

  async page(merchantId: string, limit: number, cursor?: string): Promise<Shipment[]> {
    return this.prisma.shipment.findMany({
      where: { merchantId },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
  }

  async withEvents(shipments: Shipment[]): Promise<ShipmentWithEvents[]> {
    const result: ShipmentWithEvents[] = [];
    for (const shipment of shipments) {
      const events = await this.prisma.trackingEvent.findMany({
        where: { shipmentId: shipment.id },
        orderBy: { occurredAt: 'desc' },
      });
      result.push({ ...shipment, events });
    }
    return result;
  }

  async volumeByBucket(merchantId: string, bucket: 'day' | 'week' | 'month', from: Date, to: Date) {
    return this.prisma.$queryRaw<{ period: Date; shipments: bigint }[]>`
      SELECT ${BUCKETS[bucket]} AS period, count(*) AS shipments
      FROM "Shipment"
      WHERE "merchantId" = ${merchantId} AND "createdAt" BETWEEN ${from} AND ${to}
      GROUP BY 1 ORDER BY 1`;
  }

  async statusReport(merchantId: string, status: string | undefined, from: Date, to: Date) {
    const statusFilter = status ? `AND status = '${status.toUpperCase()}'` : '';
    return this.prisma.$queryRawUnsafe<{ carrier: string; shipments: bigint; cod_total: number }[]>(
      `SELECT carrier, count(*) AS shipments, coalesce(sum("codAmount"), 0) AS cod_total
       FROM "Shipment"
       WHERE "merchantId" = $1 AND "createdAt" BETWEEN $2 AND $3 ${statusFilter}
       GROUP BY carrier ORDER BY carrier`,
      merchantId,
      from,
      to,
    );
  }
}
