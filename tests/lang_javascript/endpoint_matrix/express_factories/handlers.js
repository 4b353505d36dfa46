exports.create = (db) => function (req, res) {
  db.insert('orders', req.body); // reach: request
  res.sendStatus(201);
};

exports.unused = (db) => function (req, res) {
  db.insert('audit', req.body); // reach: none
  res.sendStatus(201);
};
