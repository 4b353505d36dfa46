const notes = new Map();

exports.list = async (ctx) => {
  ctx.body = [...notes.values()]; // reach: request
};

exports.show = async (ctx) => {
  ctx.body = notes.get(ctx.params.id); // reach: request
};

exports.create = async (body) => {
  notes.set(body.id, body); // reach: request
  return body;
};
