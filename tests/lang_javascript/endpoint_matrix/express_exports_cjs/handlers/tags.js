const store = require('../store');

function renameTag(req, res) {
  res.json(store.renameTag(req.params.id, req.body.name)); // reach: request
}

module.exports = {
  all: function (req, res) {
    res.json(store.tags()); // reach: request
  },
  rename: renameTag,
};
