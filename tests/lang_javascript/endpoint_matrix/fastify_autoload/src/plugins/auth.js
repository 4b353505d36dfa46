const fp = require('fastify-plugin');

module.exports = fp(async function (fastify) {
  fastify.decorate('requireUser', async function (request, reply) {
    if (!request.headers.authorization) {
      reply.code(401).send({ error: 'unauthorized' }); // reach: request
    }
  });
});
