'use strict';

const express = require('express');
const Joi = require('joi');
const orderService = require('../services/orderService');
const { requireAuth } = require('../middleware/auth');
const { validate } = require('../middleware/request');

const router = express.Router();
router.use(requireAuth);

const createSchema = Joi.object({
  eventId: Joi.number().integer().required(),
  quantity: Joi.number().integer().min(1).max(10).required(),
  promoCode: Joi.string().alphanum().max(32),
});

router.get('/', async (req, res, next) => {
  try {
    res.json(await orderService.listForUser(req.user.id, { limit: req.query.limit, before: req.query.before }));
  } catch (err) {
    next(err);
  }
});

router.post('/', validate(createSchema), async (req, res, next) => {
  try {
    const order = await orderService.createOrder(req.user, req.body);
    res.status(201).json(order);
  } catch (err) {
    next(err);
  }
});

router.get('/:orderId', async (req, res, next) => {
  try {
    const order = await orderService.getOrder(Number(req.params.orderId));
    res.json(order);
  } catch (err) {
    next(err);
  }
});

router.post('/:orderId/pay', validate(Joi.object({ paymentMethodToken: Joi.string().max(128).required() })),
  async (req, res, next) => {
    try {
      res.json(await orderService.payOrder(Number(req.params.orderId), req.user, req.body));
    } catch (err) {
      next(err);
    }
  });

module.exports = router;
