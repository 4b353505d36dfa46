const jwt = require('jsonwebtoken');

function authenticate(req, res, next) {
  const header = req.headers.authorization;
  if (!header) {
    return res.status(401).json({ error: 'unauthorized' });
  }
  try {
    req.user = jwt.verify(header.slice(7), process.env.JWT_SECRET);
    next();
  } catch (err) {
    next(err);
  }
}

function requestLog(req, res, next) {
  console.log(`${req.method} ${req.path}`);
  next();
}

module.exports = { authenticate, requestLog };
