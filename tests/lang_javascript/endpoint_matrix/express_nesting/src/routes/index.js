const { Router } = require('express');
const { requireAuth } = require('../middleware/auth');
const usersRouter = require('./users');
const publicRouter = require('./public');

const router = Router();
router.use('/users', requireAuth, usersRouter);
router.use('/public', publicRouter);

module.exports = router;
