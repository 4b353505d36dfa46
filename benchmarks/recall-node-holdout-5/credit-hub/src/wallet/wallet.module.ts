import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Wallet } from './wallet.entity';
import { LedgerEntry } from './ledger-entry.entity';
import { TopUp } from './top-up.entity';
import { Membership } from '../orgs/membership.entity';
import { WalletService } from './wallet.service';
import { WalletController } from './wallet.controller';
import { forwardRef } from '@nestjs/common';
import { PaymentsModule } from '../payments/payments.module';

@Module({
  imports: [TypeOrmModule.forFeature([Wallet, LedgerEntry, TopUp, Membership]), forwardRef(() => PaymentsModule)],
  controllers: [WalletController],
  providers: [WalletService],
  exports: [WalletService],
})
export class WalletModule {}
