module.exports = async function (fastify) {
  fastify.addHook('onRequest', fastify.requireUser);
  fastify.get('/invoices', async (request) => {
    return { owner: request.headers['x-user'] }; // reach: request
  });
};
