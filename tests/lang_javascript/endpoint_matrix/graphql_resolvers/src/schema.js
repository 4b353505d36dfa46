exports.typeDefs = `#graphql
  type Order { id: ID!, item: String }
  type Query { order(id: ID!): Order, orders: [Order] }
  type Mutation { cancelOrder(id: ID!): Boolean }
  type Subscription { orderChanged: Order }
`;
