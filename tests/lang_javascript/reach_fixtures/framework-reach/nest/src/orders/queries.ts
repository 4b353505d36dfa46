import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import axios from 'axios';

export class GetOrderQuery {
  constructor(public readonly id: string) {}
}

export class ArchiveOrderQuery {
  constructor(public readonly id: string) {}
}

@QueryHandler(GetOrderQuery)
export class GetOrderHandler implements IQueryHandler<GetOrderQuery> {
  async execute(query: GetOrderQuery) {
    return (await axios.get(`https://orders.internal/${query.id}`)).data;
  }
}

// a handler of a message nothing sends: nothing shows who runs it
@QueryHandler(ArchiveOrderQuery)
export class ArchiveOrderHandler implements IQueryHandler<ArchiveOrderQuery> {
  async execute(query: ArchiveOrderQuery) {
    return (await axios.get(`https://archive.internal/${query.id}`)).data;
  }
}
