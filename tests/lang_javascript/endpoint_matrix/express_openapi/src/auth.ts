export function requireUser(req, res, next) {
  if (!req.user) {
    return res.status(401).json({ error: "unauthorized" }); // reach: request
  }
  next();
}
