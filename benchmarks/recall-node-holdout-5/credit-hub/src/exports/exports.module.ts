import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LedgerEntry } from '../wallet/ledger-entry.entity';
import { Membership } from '../orgs/membership.entity';
import { OrgsModule } from '../orgs/orgs.module';
import { ExportsService } from './exports.service';
import { ExportsController } from './exports.controller';

@Module({
  imports: [TypeOrmModule.forFeature([LedgerEntry, Membership]), OrgsModule],
  controllers: [ExportsController],
  providers: [ExportsService],
})
export class ExportsModule {}
