import { BadRequestException, ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, Repository } from 'typeorm';
import { StockLevel } from './stock-level.entity';
import { StockMovement } from './stock-movement.entity';
import { Reservation } from './reservation.entity';
import { Warehouse } from './warehouse.entity';
import { CycleCountDto, PickDto, ReceiptDto, ReserveDto, TransferDto } from './dto/stock.dto';
import { AuthUser } from '../common/decorators/current-user.decorator';

const RESERVATION_TTL_MINUTES = 30;

@Injectable()
export class StockService {
  private readonly logger = new Logger(StockService.name);

  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(StockLevel) private readonly levels: Repository<StockLevel>,
    @InjectRepository(StockMovement) private readonly movements: Repository<StockMovement>,
    @InjectRepository(Reservation) private readonly reservations: Repository<Reservation>,
    @InjectRepository(Warehouse) private readonly warehouses: Repository<Warehouse>,
  ) {}

  private async levelFor(tenantId: string, warehouseId: string, itemId: string): Promise<StockLevel> {
    const level = await this.levels.findOne({ where: { tenantId, warehouseId, itemId } });
    if (!level) throw new NotFoundException('No stock record for this item in the warehouse');
    return level;
  }

  async levelsForItem(tenantId: string, itemId: string) {
    return this.levels.find({
      where: { tenantId, itemId },
      relations: { warehouse: true },
      order: { warehouseId: 'ASC' },
    });
  }

  async pick(user: AuthUser, dto: PickDto) {
    const level = await this.levelFor(user.tenantId, dto.warehouseId, dto.itemId);
    const available = level.onHand - level.reserved;
    if (available < dto.quantity) {
      throw new ConflictException(`Only ${available} available`);
    }
    level.onHand = level.onHand - dto.quantity;
    await this.levels.save(level);
    await this.movements.insert({
      tenantId: user.tenantId,
      warehouseId: dto.warehouseId,
      itemId: dto.itemId,
      kind: 'pick',
      quantity: -dto.quantity,
      reference: dto.reference ?? null,
      actorId: user.userId,
    });
    return { itemId: dto.itemId, onHand: level.onHand };
  }

  async reserve(user: AuthUser, dto: ReserveDto) {
    const result = await this.levels
      .createQueryBuilder()
      .update(StockLevel)
      .set({ reserved: () => 'reserved + :qty' })
      .where('id = :id AND tenant_id = :tenantId AND on_hand - reserved >= :qty', {
        id: dto.stockLevelId,
        tenantId: user.tenantId,
        qty: dto.quantity,
      })
      .execute();
    if (!result.affected) {
      throw new ConflictException('Insufficient stock to reserve');
    }
    return this.reservations.save(
      this.reservations.create({
        tenantId: user.tenantId,
        orderId: dto.orderId,
        stockLevelId: dto.stockLevelId,
        quantity: dto.quantity,
        expiresAt: new Date(Date.now() + RESERVATION_TTL_MINUTES * 60_000),
      }),
    );
  }

  async releaseReservation(reservationId: string) {
    return this.dataSource.transaction(async (manager) => {
      const reservation = await manager.findOne(Reservation, {
        where: { id: reservationId, status: 'active' },
        lock: { mode: 'pessimistic_write' },
      });
      if (!reservation) throw new NotFoundException('Reservation not found or not active');
      await manager.update(Reservation, reservation.id, { status: 'released' });
      await manager
        .createQueryBuilder()
        .update(StockLevel)
        .set({ reserved: () => 'GREATEST(reserved - :qty, 0)' })
        .where('id = :id', { id: reservation.stockLevelId, qty: reservation.quantity })
        .execute();
      return { id: reservation.id, status: 'released' };
    });
  }

  async transfer(user: AuthUser, dto: TransferDto) {
    if (dto.fromWarehouseId === dto.toWarehouseId) {
      throw new BadRequestException('Source and destination must differ');
    }
    const [source, target] = await Promise.all([
      this.levelFor(user.tenantId, dto.fromWarehouseId, dto.itemId),
      this.levels.findOne({ where: { tenantId: user.tenantId, warehouseId: dto.toWarehouseId, itemId: dto.itemId } }),
    ]);

    const debited = await this.levels
      .createQueryBuilder()
      .update(StockLevel)
      .set({ onHand: () => 'on_hand - :qty' })
      .where('id = :id AND on_hand - reserved >= :qty', { id: source.id, qty: dto.quantity })
      .execute();
    if (!debited.affected) throw new ConflictException('Insufficient stock at source');

    if (target) {
      await this.levels.increment({ id: target.id }, 'onHand', dto.quantity);
    } else {
      await this.levels.insert({
        tenantId: user.tenantId,
        warehouseId: dto.toWarehouseId,
        itemId: dto.itemId,
        onHand: dto.quantity,
      });
    }
    await this.movements.insert([
      { tenantId: user.tenantId, warehouseId: dto.fromWarehouseId, itemId: dto.itemId, kind: 'transfer_out', quantity: -dto.quantity, actorId: user.userId },
      { tenantId: user.tenantId, warehouseId: dto.toWarehouseId, itemId: dto.itemId, kind: 'transfer_in', quantity: dto.quantity, actorId: user.userId },
    ]);
    return { ok: true };
  }

  async receive(user: AuthUser, dto: ReceiptDto) {
    return this.dataSource.transaction(async (manager) => {
      const itemIds = dto.lines.map((l) => l.itemId);
      const existing = await manager.find(StockLevel, {
        where: { tenantId: user.tenantId, warehouseId: dto.warehouseId, itemId: In(itemIds) },
      });
      const byItem = new Map(existing.map((l) => [l.itemId, l]));

      for (const line of dto.lines) {
        const level = byItem.get(line.itemId);
        if (level) {
          level.onHand += line.quantity;
        } else {
          byItem.set(
            line.itemId,
            manager.create(StockLevel, {
              tenantId: user.tenantId,
              warehouseId: dto.warehouseId,
              itemId: line.itemId,
              onHand: line.quantity,
            }),
          );
        }
      }
      await manager.save(StockLevel, [...byItem.values()]);
      await manager.insert(
        StockMovement,
        dto.lines.map((l) => ({
          tenantId: user.tenantId,
          warehouseId: dto.warehouseId,
          itemId: l.itemId,
          kind: 'receipt' as const,
          quantity: l.quantity,
          reference: dto.reference,
          actorId: user.userId,
        })),
      );
      return { received: dto.lines.length };
    });
  }

  async cycleCount(user: AuthUser, dto: CycleCountDto) {
    const queryRunner = this.dataSource.createQueryRunner();
    await queryRunner.connect();
    await queryRunner.startTransaction();

    const levels = await queryRunner.manager.find(StockLevel, {
      where: { tenantId: user.tenantId, warehouseId: dto.warehouseId, itemId: In(dto.lines.map((l) => l.itemId)) },
      lock: { mode: 'pessimistic_write' },
    });
    const byItem = new Map(levels.map((l) => [l.itemId, l]));
    const adjustments: Array<{ itemId: string; delta: number }> = [];

    for (const line of dto.lines) {
      const level = byItem.get(line.itemId);
      if (!level) {
        await queryRunner.rollbackTransaction();
        throw new NotFoundException(`Item ${line.itemId} is not stocked here`);
      }
      const delta = line.counted - level.onHand;
      if (delta !== 0) {
        level.onHand = line.counted;
        adjustments.push({ itemId: line.itemId, delta });
      }
    }

    await queryRunner.manager.save(StockLevel, levels);
    if (adjustments.length) {
      await queryRunner.manager.insert(
        StockMovement,
        adjustments.map((a) => ({
          tenantId: user.tenantId,
          warehouseId: dto.warehouseId,
          itemId: a.itemId,
          kind: 'count' as const,
          quantity: a.delta,
          actorId: user.userId,
        })),
      );
    }
    await queryRunner.commitTransaction();
    await queryRunner.release();
    this.logger.log(`cycle count in ${dto.warehouseId}: ${adjustments.length} adjustments`);
    return { adjustments };
  }

  async movementsForItem(tenantId: string, itemId: string, skip: number, take: number) {
    const [items, total] = await this.movements.findAndCount({
      where: { tenantId, itemId },
      order: { createdAt: 'DESC' },
      skip,
      take,
    });
    return { items, total };
  }

  async warehousesForTenant(tenantId: string) {
    return this.warehouses.find({ where: { tenantId, active: true }, order: { code: 'ASC' }, take: 200 });
  }
}
