const orders = require('./orders');

async function cancelOrder(_parent, { id }, context) {
  return orders.cancel(id, context.user); // reach: request
}

exports.resolvers = {
  Query: {
    order: (_parent, args) => orders.find(args.id),
    orders() {
      return orders.all(); // reach: request
    },
  },
  Mutation: { cancelOrder },
  Subscription: {
    orderChanged: { subscribe: (_parent, _args, { pubsub }) => pubsub.asyncIterator('ORDER_CHANGED') },
  },
  Order: {
    item: (order) => order.item.toUpperCase(),
  },
};
