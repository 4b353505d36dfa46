import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { CarriersModule } from '../carriers/carriers.module';
import { TrackingController } from './tracking.controller';
import { ShipmentsController } from './shipments.controller';
import { ShipmentsRepository } from './shipments.repository';
import { LABEL_QUEUE, ShipmentsService } from './shipments.service';

@Module({
  imports: [
    CarriersModule,
    BullModule.registerQueue({
      name: LABEL_QUEUE,
      defaultJobOptions: {
        attempts: 5,
        backoff: { type: 'exponential', delay: 5_000 },
        removeOnComplete: 1000,
        removeOnFail: 5000,
      },
    }),
  ],
  controllers: [ShipmentsController, TrackingController],
  providers: [ShipmentsRepository, ShipmentsService],
  exports: [ShipmentsRepository, ShipmentsService],
})
export class ShipmentsModule {}
