module.exports = function audit(req, res, next) {
  console.info(req.method, req.url); // reach: request
  next();
};
