module.exports = async function (fastify) {
  fastify.get('/', async (request) => {
    return { id: request.params.userId }; // reach: request
  });
};
