export class CreateOrderCommand {
  constructor(public readonly sku: string) {}
}
