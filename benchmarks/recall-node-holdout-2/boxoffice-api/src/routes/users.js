'use strict';

const express = require('express');
const userService = require('../services/userService');
const ticketService = require('../services/ticketService');
const { requireAuth } = require('../middleware/auth');

const router = express.Router();
router.use(requireAuth);

router.get('/me', async (req, res, next) => {
  try {
    res.json(await userService.getById(req.user.id));
  } catch (err) {
    next(err);
  }
});

router.patch('/me', async (req, res, next) => {
  try {
    const user = await userService.updateProfile(req.user.id, req.body);
    res.json(user);
  } catch (err) {
    next(err);
  }
});

router.get('/me/tickets', async (req, res, next) => {
  try {
    res.json(await ticketService.listMine(req.user.id, { limit: req.query.limit }));
  } catch (err) {
    next(err);
  }
});

router.get('/me/tickets/:ticketId', async (req, res, next) => {
  try {
    res.json(await ticketService.getForOwner(Number(req.params.ticketId), req.user.id));
  } catch (err) {
    next(err);
  }
});

router.post('/me/tickets/:ticketId/transfer', async (req, res, next) => {
  try {
    const email = String(req.body.email || '');
    res.json(await ticketService.transfer(Number(req.params.ticketId), req.user.id, email));
  } catch (err) {
    next(err);
  }
});

module.exports = router;
