import { HttpModule } from '@nestjs/axios';
import { Global, Module } from '@nestjs/common';
import { PrismaService } from '../prisma.service';
import { SmsService } from './sms.service';

@Global()
@Module({
  imports: [HttpModule.register({ timeout: 4000, maxRedirects: 0 })],
  providers: [PrismaService, SmsService],
  exports: [PrismaService, SmsService],
})
export class CommonModule {}
