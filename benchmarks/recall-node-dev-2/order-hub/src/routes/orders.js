'use strict';

const express = require('express');
const { requireAuth } = require('../middleware/auth');
const Order = require('../models/Order');
const orderService = require('../services/orderService');
const paymentService = require('../services/paymentService');

const router = express.Router();

router.use(requireAuth);

router.get('/', async (req, res, next) => {
  try {
    const limit = Math.min(Number.parseInt(req.query.limit, 10) || 20, 100);
    const page = Math.max(Number.parseInt(req.query.page, 10) || 1, 1);
    const orders = await orderService.listCustomerOrders(req.user.id, { page, limit });
    res.json({ page, limit, items: orders.map(Order.toDto) });
  } catch (err) {
    next(err);
  }
});

router.post('/', async (req, res, next) => {
  try {
    const idempotencyKey = req.get('idempotency-key') || undefined;
    const { order, created } = await orderService.placeOrder(req.user.id, req.body, idempotencyKey);
    res.status(created ? 201 : 200).json(Order.toDto(order));
  } catch (err) {
    next(err);
  }
});

router.get('/:id', async (req, res, next) => {
  try {
    const order = await Order.findById(req.params.id).lean();
    if (!order) return res.status(404).json({ error: 'not_found' });
    return res.json(Order.toDto(order));
  } catch (err) {
    return next(err);
  }
});

router.post('/:id/cancel', async (req, res, next) => {
  try {
    const order = await orderService.cancelOrder(req.user.id, req.params.id);
    res.json(Order.toDto(order));
  } catch (err) {
    next(err);
  }
});

router.post('/:id/pay', async (req, res, next) => {
  try {
    const order = await paymentService.payOrder(req.user.id, req.params.id, req.body.paymentMethodId);
    res.json(Order.toDto(order));
  } catch (err) {
    next(err);
  }
});

module.exports = router;
