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

const counters = new Map();

function throttle(req, res, next) {
  const key = (req.session && req.session.account) || req.ip;
  const seen = (counters.get(key) || 0) + 1;
  counters.set(key, seen);
  if (seen > 100) {
    return next(Object.assign(new Error('slow down'), { status: 429 }));
  }
  next();
}

export default {
  ensureEditor,
  stampRequest,
  throttle,
};
