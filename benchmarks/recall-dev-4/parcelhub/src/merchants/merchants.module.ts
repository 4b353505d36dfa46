import { HttpModule } from '@nestjs/axios';
import { Module } from '@nestjs/common';
import { MerchantsController } from './merchants.controller';
import { MerchantsService } from './merchants.service';

@Module({
  imports: [HttpModule.register({ timeout: 5000, maxRedirects: 0 })],
  controllers: [MerchantsController],
  providers: [MerchantsService],
})
export class MerchantsModule {}
