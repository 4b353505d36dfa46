const Hapi = require('@hapi/hapi');
const { showUser } = require('./users');

const server = Hapi.server({ port: 3000 });

const screens = [
  { path: '/profile', component: 'ProfileScreen' }, // no method, no handler
  { method: 'GET', path: '/preview' }, // no handler
];

server.route({ method: 'GET', path: '/users/{id}', handler: showUser });
server.route([
  { method: 'POST', path: '/echo', handler: (request, h) => h.response(request.payload.text) }, // reach: request
  { method: ['PUT', 'PATCH'], path: '/things/{id}', options: { auth: 'jwt' }, handler: async (request) => ({ id: request.params.id }) }, // reach: request
]);

function neverRouted(request, h) {
  return h.response(screens.length); // reach: none
}

server.start();
