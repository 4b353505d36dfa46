const Fastify = require('fastify');
const fp = require('fastify-plugin');
const items = require('./routes/items');
const { health } = require('./handlers/health');

const app = Fastify({ logger: true });

app.register(fp(async (instance) => {
  instance.decorate('authenticate', async (request, reply) => {
    if (!request.headers.authorization) {
      return reply.code(401).send({ error: 'unauthorized' }); // reach: request
    }
  });
}));
app.addHook('onRequest', async (request) => {
  request.log.info({ url: request.url }, 'incoming'); // reach: request
});
app.get('/health', health);
app.register(items, { prefix: '/items' });
app.listen({ port: 3000 });
