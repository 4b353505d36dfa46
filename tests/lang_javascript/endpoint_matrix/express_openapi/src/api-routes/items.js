const { requireUser } = require("../auth");

function list(req, res) {
  res.json({ q: req.query.q }); // reach: request
}

module.exports = {
  get: list,
  post: [requireUser, function create(req, res) {
    res.json({ name: req.body.name }); // reach: request
  }],
};
