const handlers = require('../handlers/items');
const { exportCsv } = require('../handlers/export');

module.exports = async function (fastify, opts) {
  fastify.addHook('onRequest', fastify.authenticate);
  fastify.get('/', handlers.list);
  fastify.get('/:id', { schema: { params: { type: 'object' } } }, handlers.show);
  fastify.route({
    method: 'POST',
    url: '/',
    preHandler: async (request) => {
      request.log.info('creating'); // reach: request
    },
    handler: handlers.create,
  });
  fastify.get('/export', exportCsv);
};
