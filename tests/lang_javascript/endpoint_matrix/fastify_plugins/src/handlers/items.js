const items = new Map();

async function list(request, reply) {
  return [...items.values()]; // reach: request
}

async function show(request, reply) {
  return items.get(request.params.id); // reach: request
}

async function create(request, reply) {
  items.set(request.body.id, request.body); // reach: request
  reply.code(201);
  return request.body;
}

module.exports = { list, show, create };
