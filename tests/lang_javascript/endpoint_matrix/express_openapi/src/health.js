exports.GET = function (req, res) {
  res.send("ok"); // reach: request
};
