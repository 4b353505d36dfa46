import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { UsageEvent } from './usage-event.entity';
import { Membership } from '../orgs/membership.entity';
import { UsageService } from './usage.service';
import { UsageController } from './usage.controller';
import { WalletModule } from '../wallet/wallet.module';
import { ApiKeysModule } from '../api-keys/api-keys.module';

@Module({
  imports: [TypeOrmModule.forFeature([UsageEvent, Membership]), WalletModule, ApiKeysModule],
  controllers: [UsageController],
  providers: [UsageService],
})
export class UsageModule {}
