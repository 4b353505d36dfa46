import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ProcessedEvent } from './processed-event.entity';
import { ErpWebhookController } from './erp-webhook.controller';
import { IntegrationsService } from './integrations.service';

@Module({
  imports: [TypeOrmModule.forFeature([ProcessedEvent])],
  controllers: [ErpWebhookController],
  providers: [IntegrationsService],
})
export class IntegrationsModule {}
