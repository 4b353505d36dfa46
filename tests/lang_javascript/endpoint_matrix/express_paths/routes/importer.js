module.exports = function importer() {
  return (req, res) => {
    res.json({ rows: String(req.body.csv).split('\n').length }); // reach: request
  };
};
