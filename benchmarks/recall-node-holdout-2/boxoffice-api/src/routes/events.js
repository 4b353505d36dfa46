'use strict';

const express = require('express');
const Joi = require('joi');
const eventService = require('../services/eventService');
const { requireAuth, requireRole } = require('../middleware/auth');
const { validate, publicReadLimiter } = require('../middleware/request');

const router = express.Router();

const eventSchema = Joi.object({
  title: Joi.string().max(200).required(),
  description: Joi.string().max(5000).allow(''),
  venue_id: Joi.number().integer().required(),
  starts_at: Joi.date().iso().required(),
  price_cents: Joi.number().integer().min(0).max(10000000).required(),
  currency: Joi.string().length(3).uppercase().default('EUR'),
  capacity: Joi.number().integer().min(1).max(200000).required(),
});

// Public catalogue: anonymous browsing is a product requirement.
router.get('/', publicReadLimiter, async (req, res, next) => {
  try {
    res.json(await eventService.listPublished(req.query));
  } catch (err) {
    next(err);
  }
});

router.get('/search', publicReadLimiter, async (req, res, next) => {
  try {
    res.json(await eventService.search(req.query));
  } catch (err) {
    next(err);
  }
});

router.get('/:id', publicReadLimiter, async (req, res, next) => {
  try {
    res.json(await eventService.getPublished(Number(req.params.id)));
  } catch (err) {
    next(err);
  }
});

router.get('/:id/assets', publicReadLimiter, async (req, res, next) => {
  try {
    const stream = await eventService.openEventAsset(Number(req.params.id), String(req.query.file || ''));
    res.type(String(req.query.file || '').split('.').pop() || 'application/octet-stream');
    stream.pipe(res);
  } catch (err) {
    next(err);
  }
});

router.get('/covers/:name', publicReadLimiter, (req, res, next) => {
  try {
    const stream = eventService.openCover(req.params.name);
    stream.on('error', () => res.status(404).end());
    stream.pipe(res);
  } catch (err) {
    next(err);
  }
});

router.post('/', requireAuth, requireRole('organizer', 'admin'), validate(eventSchema), async (req, res, next) => {
  try {
    res.status(201).json(await eventService.create(req.user, req.body));
  } catch (err) {
    next(err);
  }
});

router.patch('/:id', requireAuth, requireRole('organizer', 'admin'), async (req, res, next) => {
  try {
    res.json(await eventService.update(Number(req.params.id), req.user, req.body));
  } catch (err) {
    next(err);
  }
});

router.post('/:id/publish', requireAuth, requireRole('organizer', 'admin'), async (req, res, next) => {
  try {
    res.json(await eventService.publish(Number(req.params.id), req.user));
  } catch (err) {
    next(err);
  }
});

router.post('/:id/cover', requireAuth, requireRole('organizer', 'admin'),
  validate(Joi.object({ url: Joi.string().uri({ scheme: ['http', 'https'] }).required() })),
  async (req, res, next) => {
    try {
      res.json(await eventService.setCoverFromUrl(Number(req.params.id), req.user, req.body.url));
    } catch (err) {
      next(err);
    }
  });

router.get('/:id/attendees', requireAuth, requireRole('organizer', 'admin'), async (req, res, next) => {
  try {
    res.json(await eventService.attendees(Number(req.params.id), req.user));
  } catch (err) {
    next(err);
  }
});

router.get('/:id/sales', requireAuth, requireRole('organizer', 'admin'), async (req, res, next) => {
  try {
    res.json(await eventService.salesByDay(Number(req.params.id), req.user, { tz: req.query.tz }));
  } catch (err) {
    next(err);
  }
});

module.exports = router;
