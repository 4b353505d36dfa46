'use strict';

const express = require('express');
const mongoose = require('mongoose');
const { requireAuth, requireRole } = require('../middleware/auth');
const Product = require('../models/Product');
const inventoryService = require('../services/inventoryService');
const escapeRegex = require('../utils/escapeRegex');

const router = express.Router();

const EDITABLE_FIELDS = ['sku', 'name', 'description', 'category', 'tags', 'priceCents', 'active'];

function pick(source, fields) {
  return fields.reduce((acc, field) => {
    if (Object.prototype.hasOwnProperty.call(source, field)) acc[field] = source[field];
    return acc;
  }, {});
}

function toPublicProduct(p) {
  return {
    id: String(p._id),
    sku: p.sku,
    name: p.name,
    description: p.description,
    category: p.category,
    tags: p.tags,
    priceCents: p.priceCents,
    inStock: p.stock > 0,
  };
}

router.get('/', async (req, res, next) => {
  try {
    const limit = Math.min(Number.parseInt(req.query.limit, 10) || 24, 100);
    const page = Math.max(Number.parseInt(req.query.page, 10) || 1, 1);
    const filter = { active: true };
    if (req.query.category) filter.category = String(req.query.category);
    if (req.query.q) filter.name = { $regex: escapeRegex(String(req.query.q).slice(0, 100)), $options: 'i' };

    const products = await Product.find(filter)
      .sort({ name: 1 })
      .skip((page - 1) * limit)
      .limit(limit)
      .lean();
    res.json({ page, limit, items: products.map(toPublicProduct) });
  } catch (err) {
    next(err);
  }
});

router.get('/:id', async (req, res, next) => {
  try {
    if (!mongoose.isValidObjectId(req.params.id)) return res.status(404).json({ error: 'not_found' });
    const product = await Product.findOne({ _id: req.params.id, active: true }).lean();
    if (!product) return res.status(404).json({ error: 'not_found' });
    return res.json(toPublicProduct(product));
  } catch (err) {
    return next(err);
  }
});

router.post('/', requireAuth, requireRole('staff', 'admin'), async (req, res, next) => {
  try {
    const product = await Product.create(pick(req.body, EDITABLE_FIELDS));
    res.status(201).json(product);
  } catch (err) {
    next(err);
  }
});

router.put('/:id', requireAuth, requireRole('staff', 'admin'), async (req, res, next) => {
  try {
    const product = await Product.findByIdAndUpdate(req.params.id, pick(req.body, EDITABLE_FIELDS), {
      new: true,
      runValidators: true,
    });
    if (!product) return res.status(404).json({ error: 'not_found' });
    return res.json(product);
  } catch (err) {
    return next(err);
  }
});

router.delete('/:id', async (req, res, next) => {
  try {
    const product = await Product.findByIdAndUpdate(req.params.id, { active: false }, { new: true });
    if (!product) return res.status(404).json({ error: 'not_found' });
    return res.status(204).end();
  } catch (err) {
    return next(err);
  }
});

router.post('/:id/stock', requireAuth, requireRole('staff', 'admin'), async (req, res, next) => {
  try {
    const delta = Number(req.body.delta);
    if (!Number.isInteger(delta) || delta === 0) {
      return res.status(400).json({ error: 'delta must be a non-zero integer' });
    }
    const product = await inventoryService.adjust(req.params.id, delta);
    return res.json({ id: String(product._id), stock: product.stock });
  } catch (err) {
    return next(err);
  }
});

module.exports = router;
