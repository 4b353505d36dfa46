const store = require('../store');

async function archive(req, res) {
  await store.move(req.params.id, 'archive'); // reach: request
  res.sendStatus(204);
}

const restore = async (req, res) => {
  await store.move(req.params.id, 'live'); // reach: request
  res.sendStatus(204);
};

module.exports = { archive, restore };
