exports.requireSignIn = (req, res, next) => {
  if (!req.session || !req.session.userId) {
    return res.status(401).json({ error: 'sign in' }); // reach: request
  }
  next();
};
