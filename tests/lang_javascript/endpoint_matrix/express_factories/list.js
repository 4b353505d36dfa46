module.exports = (db, table) => async (req, res) => {
  res.json(await db.all(table, req.query.limit)); // reach: request
};
