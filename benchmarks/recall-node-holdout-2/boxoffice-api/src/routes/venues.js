'use strict';

const express = require('express');
const Joi = require('joi');
const venueService = require('../services/venueService');
const { requireAuth, requireRole } = require('../middleware/auth');
const { validate } = require('../middleware/request');

const router = express.Router();
router.use(requireAuth, requireRole('organizer', 'admin'));

const venueSchema = Joi.object({
  name: Joi.string().max(200).required(),
  address: Joi.string().max(400).required(),
  capacity: Joi.number().integer().min(1).max(200000).required(),
});

router.get('/', async (req, res, next) => {
  try {
    res.json(await venueService.listMine(req.user));
  } catch (err) {
    next(err);
  }
});

router.post('/', validate(venueSchema), async (req, res, next) => {
  try {
    res.status(201).json(await venueService.create(req.user, req.body));
  } catch (err) {
    next(err);
  }
});

router.get('/:venueId', async (req, res, next) => {
  try {
    res.json(await venueService.getOwned(Number(req.params.venueId), req.user));
  } catch (err) {
    next(err);
  }
});

router.patch('/:venueId', async (req, res, next) => {
  try {
    res.json(await venueService.update(Number(req.params.venueId), req.user, req.body));
  } catch (err) {
    next(err);
  }
});

module.exports = router;
