'use strict';

const mongoose = require('mongoose');
const { AppError } = require('./errorHandler');

const counterSchema = new mongoose.Schema({
  _id: String,
  hits: { type: Number, default: 0 },
  expiresAt: { type: Date, index: { expires: 0 } },
});
const Counter = mongoose.models.RateCounter || mongoose.model('RateCounter', counterSchema);

function rateLimit({ name, max, windowMs, key }) {
  return async (ctx, next) => {
    const subject = key ? key(ctx) : ctx.ip;
    const windowStart = Math.floor(Date.now() / windowMs) * windowMs;
    const id = `${name}:${subject}:${windowStart}`;
    const doc = await Counter.findOneAndUpdate(
      { _id: id },
      { $inc: { hits: 1 }, $setOnInsert: { expiresAt: new Date(windowStart + windowMs) } },
      { upsert: true, new: true },
    );
    if (doc.hits > max) {
      ctx.set('Retry-After', String(Math.ceil(windowMs / 1000)));
      throw new AppError(429, 'Too many requests', 'rate_limited');
    }
    await next();
  };
}

module.exports = rateLimit;
