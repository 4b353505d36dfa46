function errorHandler(err, req, res, next) {
  console.error(err.stack); // reach: request
  res.status(500).json({ error: 'internal' });
}

module.exports = { errorHandler };
