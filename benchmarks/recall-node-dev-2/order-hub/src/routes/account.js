'use strict';

const express = require('express');
const { requireAuth } = require('../middleware/auth');
const User = require('../models/User');

const router = express.Router();

router.use(requireAuth);

router.get('/', async (req, res, next) => {
  try {
    const user = await User.findById(req.user.id);
    if (!user) return res.status(404).json({ error: 'not_found' });
    return res.json(user.toProfile());
  } catch (err) {
    return next(err);
  }
});

router.patch('/', async (req, res, next) => {
  try {
    const user = await User.findById(req.user.id);
    if (!user) return res.status(404).json({ error: 'not_found' });
    user.set(req.body);
    await user.save();
    return res.json(user.toProfile());
  } catch (err) {
    return next(err);
  }
});

module.exports = router;
