import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Organization } from '../orgs/organization.entity';
import { WalletModule } from '../wallet/wallet.module';
import { InvoicesModule } from '../invoices/invoices.module';
import { AdminController } from './admin.controller';

@Module({
  imports: [TypeOrmModule.forFeature([Organization]), WalletModule, InvoicesModule],
  controllers: [AdminController],
})
export class AdminModule {}
