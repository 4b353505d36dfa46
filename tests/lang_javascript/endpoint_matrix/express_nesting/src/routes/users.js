const express = require('express');
const { adminOnly } = require('../middleware/auth');

const router = express.Router();

function loadUser(req, res, next) {
  req.target = { id: req.params.id }; // reach: request
  next();
}

function audit(req, res, next) {
  console.log('user lookup', req.params.id); // reach: request
  next();
}

function show(req, res) {
  res.json(req.target); // reach: request
}

router.get('/:id', [loadUser, audit], show);
router.use(adminOnly);
router.delete('/:id', loadUser, function remove(req, res) {
  res.status(204).json({ removed: req.target.id }); // reach: request
});

module.exports = router;
