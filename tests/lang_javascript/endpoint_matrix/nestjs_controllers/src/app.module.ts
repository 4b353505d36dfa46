import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { OrdersController } from './orders/orders.controller';
import { OrdersService } from './orders/orders.service';
import { JwtAuthGuard } from './auth/jwt.guard';

@Module({
  controllers: [OrdersController],
  providers: [OrdersService, { provide: APP_GUARD, useClass: JwtAuthGuard }],
})
export class AppModule {}
