import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { AddressClient, CarrierClient } from './carrier.client';

@Module({
  imports: [
    HttpModule.registerAsync({
      imports: [ConfigModule],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        baseURL: config.getOrThrow<string>('ADDRESS_API_URL'),
        timeout: config.get<number>('ADDRESS_API_TIMEOUT_MS', 3000),
        maxRedirects: 0,
      }),
    }),
  ],
  providers: [CarrierClient, AddressClient],
  exports: [CarrierClient, AddressClient],
})
export class CarriersModule {}
