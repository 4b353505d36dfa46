import { Body, Controller, Post } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { CreateOrderCommand } from './commands/create-order.command';
import { GetOrderQuery } from './queries';

@Controller('orders')
export class OrdersController {
  constructor(private readonly commandBus: CommandBus, private readonly queryBus: QueryBus) {}

  @Post()
  create(@Body() dto: { sku: string }) {
    return this.commandBus.execute(new CreateOrderCommand(dto.sku));
  }

  @Post('lookup')
  lookup(@Body() dto: { id: string }) {
    return this.queryBus.execute(new GetOrderQuery(dto.id));
  }
}
