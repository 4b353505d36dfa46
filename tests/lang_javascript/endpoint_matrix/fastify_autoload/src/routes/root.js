module.exports = async function (fastify) {
  fastify.get('/', async () => {
    return { root: true }; // reach: request
  });
};
