const store = require('../store');

exports.list = function (req, res) {
  res.json(store.reports(req.query.owner)); // reach: request
};

exports.create = async (req, res) => {
  const saved = await store.saveReport(req.body); // reach: request
  res.status(201).json(saved);
};

exports.unusedExport = function (req, res) {
  res.json(store.reports()); // reach: none
};
