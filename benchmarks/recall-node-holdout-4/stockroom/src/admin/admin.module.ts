import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { User } from '../users/user.entity';
import { Warehouse } from '../stock/warehouse.entity';
import { AdminController } from './admin.controller';
import { AdminService } from './admin.service';

@Module({
  imports: [TypeOrmModule.forFeature([User, Warehouse])],
  controllers: [AdminController],
  providers: [AdminService],
})
export class AdminModule {}
