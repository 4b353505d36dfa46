import { Module } from '@nestjs/common';
import { HttpModule } from '@nestjs/axios';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { CarrierClient } from './carrier.client';

@Module({
  imports: [
    HttpModule.registerAsync({
      imports: [ConfigModule],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        timeout: config.get<number>('httpTimeoutMs', 5000),
        maxRedirects: 0,
        headers: { Authorization: `Bearer ${config.getOrThrow<string>('carrier.apiKey')}` },
      }),
    }),
  ],
  providers: [CarrierClient],
  exports: [CarrierClient],
})
export class ShippingModule {}
