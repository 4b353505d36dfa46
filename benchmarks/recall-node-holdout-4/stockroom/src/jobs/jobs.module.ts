import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Item } from '../items/item.entity';
import { Supplier } from '../suppliers/supplier.entity';
import { PurchaseSuggestion } from '../suppliers/purchase-suggestion.entity';
import { ReplenishmentJob } from './replenishment.job';

@Module({
  imports: [TypeOrmModule.forFeature([Item, Supplier, PurchaseSuggestion])],
  providers: [ReplenishmentJob],
})
export class JobsModule {}
