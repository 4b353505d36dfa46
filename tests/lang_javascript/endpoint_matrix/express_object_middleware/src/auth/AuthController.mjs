function readSessionUser(session) {
  return session && session.account ? session.account : null;
}

const AuthController = {
  requireLogin() {
    const checkSession = function (req, res, next) {
      const account = readSessionUser(req.session);
      if (!account) {
        return res.status(401).json({ error: 'sign in first' });
      }
      req.user = account;
      next();
    };
    return checkSession;
  },
};

export default AuthController;
