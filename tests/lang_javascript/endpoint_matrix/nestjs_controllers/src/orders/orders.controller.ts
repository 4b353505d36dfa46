import { Body, Controller, Delete, Get, Param, Post, UseGuards } from '@nestjs/common';
import { OrdersService } from './orders.service';
import { Public } from '../auth/public.decorator';
import { AdminGuard } from '../auth/roles.guard';

@Controller('orders')
export class OrdersController {
  constructor(private readonly orders: OrdersService) {}

  @Public()
  @Get('catalogue')
  catalogue() {
    return this.orders.catalogue(); // reach: request
  }

  @Get(':id')
  one(@Param('id') id: string) {
    return this.orders.find(id); // reach: request
  }

  @Post()
  create(@Body() body: { item: string }) {
    return this.orders.create(body); // reach: request
  }

  @UseGuards(AdminGuard)
  @Delete(':id')
  remove(@Param('id') id: string) {
    return this.orders.remove(id); // reach: request
  }

  helperNoRoute() {
    return this.orders.catalogue(); // reach: none
  }
}
