'use strict';

const express = require('express');
const Joi = require('joi');
const db = require('../db');
const userService = require('../services/userService');
const orderService = require('../services/orderService');
const { requireAuth, requireRole } = require('../middleware/auth');
const { validate } = require('../middleware/request');

const router = express.Router();
router.use(requireAuth);

router.get('/users', requireRole('admin'), async (req, res, next) => {
  try {
    const limit = Math.min(Number(req.query.limit) || 50, 200);
    const users = await db('users')
      .select('id', 'email', 'display_name', 'role', 'created_at')
      .where('id', '>', Number(req.query.after) || 0)
      .orderBy('id')
      .limit(limit);
    res.json({ users, next: users.length === limit ? users[users.length - 1].id : null });
  } catch (err) {
    next(err);
  }
});

router.patch('/users/:userId/role', requireRole('admin'),
  validate(Joi.object({ role: Joi.string().valid('customer', 'organizer', 'admin').required() })),
  async (req, res, next) => {
    try {
      res.json(await userService.setRole(Number(req.params.userId), req.body.role));
    } catch (err) {
      next(err);
    }
  });

router.post('/orders/:orderId/refund', async (req, res, next) => {
  try {
    res.json(await orderService.refundOrder(Number(req.params.orderId), req.user));
  } catch (err) {
    next(err);
  }
});

module.exports = router;
