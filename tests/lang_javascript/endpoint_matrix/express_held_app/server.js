const { HostServer } = require('./host-server');
const client = require('./client');

const server = HostServer.getInstance();
const app = server.app;

app.get('/', (request, response) => {
  response.redirect('/dashboard'); // reach: request
});

const api = client.api;
(async () => {
  app.post('/api/push/:token', async (request, response) => {
    response.json({ ok: request.params.token.length > 0 }); // reach: request
  });
  const status = await api.get('/status');
  console.info(status); // reach: none
})();
