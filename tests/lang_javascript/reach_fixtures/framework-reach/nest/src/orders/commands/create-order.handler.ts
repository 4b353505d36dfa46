import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import axios from 'axios';
import { CreateOrderCommand } from './create-order.command';

@CommandHandler(CreateOrderCommand)
export class CreateOrderHandler implements ICommandHandler<CreateOrderCommand> {
  async execute(command: CreateOrderCommand) {
    const { data } = await axios.post('https://pricing.internal/quote', { sku: command.sku });
    return data;
  }
}
