const jwt = require('jsonwebtoken');

function requireAuth(req, res, next) {
  const header = req.headers.authorization; // reach: request
  if (!header) {
    return res.status(401).json({ error: 'unauthenticated' });
  }
  req.user = jwt.verify(header.slice(7), process.env.JWT_SECRET);
  next();
}

function adminOnly(req, res, next) {
  if (!req.user || req.user.role !== 'admin') {
    return res.status(403).json({ error: 'forbidden' }); // reach: request
  }
  next();
}

module.exports = { requireAuth, adminOnly };
