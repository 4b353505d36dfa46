import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { StockLevel } from './stock-level.entity';
import { StockMovement } from './stock-movement.entity';
import { Reservation } from './reservation.entity';
import { Warehouse } from './warehouse.entity';
import { StockController } from './stock.controller';
import { StockService } from './stock.service';

@Module({
  imports: [TypeOrmModule.forFeature([StockLevel, StockMovement, Reservation, Warehouse])],
  controllers: [StockController],
  providers: [StockService],
  exports: [StockService],
})
export class StockModule {}
