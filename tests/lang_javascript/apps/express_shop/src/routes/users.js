const express = require('express');
const passport = require('passport');

const router = express.Router();

function listUsers(req, res) {
  res.json([]);
}

function requireSelf(req, res, next) {
  if (!req.user || req.user.id !== req.params.id) {
    return res.sendStatus(403);
  }
  next();
}

function getAvatar(req, res) {
  res.sendFile(`/avatars/${req.params.id}.png`);
}

function putAvatar(req, res) {
  res.sendStatus(204);
}

router.get('/', listUsers);
router.get('/:id', passport.authenticate('jwt', { session: false }), (req, res) => {
  res.json({ id: req.params.id });
});
router.route('/:id/avatar')
  .get(getAvatar)
  .put(requireSelf, putAvatar);

module.exports = router;
