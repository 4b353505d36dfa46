module.exports = async function (fastify) {
  fastify.get('/', async (request) => {
    return { page: request.query.page }; // reach: request
  });
};
