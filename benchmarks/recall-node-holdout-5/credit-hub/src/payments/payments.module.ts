import { forwardRef, Module } from '@nestjs/common';
import { HttpModule } from '@nestjs/axios';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PaymentsClient } from './payments.client';
import { PaymentsWebhookController } from './payments-webhook.controller';
import { ProcessedEvent } from './processed-event.entity';
import { TopUp } from '../wallet/top-up.entity';
import { WalletModule } from '../wallet/wallet.module';

@Module({
  imports: [
    HttpModule.registerAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        baseURL: config.get<string>('payments.baseUrl'),
        timeout: config.get<number>('payments.timeoutMs'),
        headers: { Authorization: `Bearer ${config.get<string>('payments.apiKey')}` },
      }),
    }),
    TypeOrmModule.forFeature([ProcessedEvent, TopUp]),
    forwardRef(() => WalletModule),
  ],
  controllers: [PaymentsWebhookController],
  providers: [PaymentsClient],
  exports: [PaymentsClient],
})
export class PaymentsModule {}
