'use strict';

const express = require('express');
const mongoose = require('mongoose');
const { requireAuth, requireRole } = require('../middleware/auth');
const logger = require('../logger');
const Order = require('../models/Order');
const User = require('../models/User');
const paymentService = require('../services/paymentService');

const { ORDER_STATUSES } = Order;
const { ROLES } = User;

const router = express.Router();

router.use(requireAuth);

router.get('/dashboard', requireRole('admin', 'support'), async (req, res, next) => {
  try {
    const counts = {};
    for (const status of ORDER_STATUSES) {
      counts[status] = await Order.countDocuments({ status });
    }
    res.json({ counts });
  } catch (err) {
    next(err);
  }
});

router.get('/customers', requireRole('admin', 'support'), async (req, res, next) => {
  try {
    const customers = await User.find({ role: 'customer' })
      .select('email name phone createdAt disabled')
      .sort({ createdAt: -1 })
      .lean();
    res.json(customers);
  } catch (err) {
    next(err);
  }
});

router.get('/orders', requireRole('admin', 'support'), async (req, res, next) => {
  try {
    const limit = Math.min(Number.parseInt(req.query.limit, 10) || 50, 200);
    const filter = {};
    if (req.query.status) filter.status = String(req.query.status);

    const orders = await Order.find(filter).sort({ createdAt: -1 }).limit(limit).lean();
    const rows = [];
    for (const order of orders) {
      const customer = await User.findById(order.customerId).select('email name').lean();
      rows.push({ ...Order.toDto(order), customer });
    }
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

router.post('/orders/:id/refund', requireRole('admin'), async (req, res, next) => {
  try {
    if (!mongoose.isValidObjectId(req.params.id)) return res.status(404).json({ error: 'not_found' });
    const reason = String(req.body.reason || 'requested_by_customer');
    const order = await paymentService.refundOrder(req.params.id, reason);
    logger.info('order refunded', { orderId: req.params.id, by: req.user.id });
    return res.json(Order.toDto(order));
  } catch (err) {
    return next(err);
  }
});

router.post('/users/:id/disable', requireRole('admin'), async (req, res, next) => {
  try {
    const result = await User.updateOne({ _id: req.params.id }, { disabled: true });
    if (result.matchedCount === 0) return res.status(404).json({ error: 'not_found' });
    logger.info('user disabled', { userId: req.params.id, by: req.user.id });
    return res.status(204).end();
  } catch (err) {
    return next(err);
  }
});

router.post('/users/:id/role', async (req, res, next) => {
  try {
    const { role } = req.body;
    if (!ROLES.includes(role)) return res.status(400).json({ error: `role must be one of ${ROLES.join(', ')}` });
    const result = await User.updateOne({ _id: req.params.id }, { role });
    if (result.matchedCount === 0) return res.status(404).json({ error: 'not_found' });
    logger.info('user role changed', { userId: req.params.id, role, by: req.user.id });
    return res.status(204).end();
  } catch (err) {
    return next(err);
  }
});

module.exports = router;
