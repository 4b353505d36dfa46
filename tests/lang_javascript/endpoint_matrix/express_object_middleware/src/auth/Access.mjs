function ensureEditor(req, res, next) {
  if (!req.user || !req.user.canEdit) {
    return res.sendStatus(403);
  }
  next();
}

function stampRequest(req, res, next) {
  res.set('x-served-at', new Date().toISOString());
  next();
}

export default {
  ensureEditor,
  stampRequest,
};
