'use strict';

const crypto = require('crypto');
const { User, Voucher } = require('../models');
const { AppError } = require('../middleware/errorHandler');

const REWARDS = {
  'wash-voucher': { points: 300, label: 'EUR 15 off a car wash', amountOffCents: 1500 },
  'service-voucher': { points: 800, label: 'EUR 40 off any service', amountOffCents: 4000 },
  'inspection-voucher': { points: 1500, label: 'EUR 80 off an annual inspection', amountOffCents: 8000 },
};

/** Points are awarded by the invoice-paid hook: one point per whole euro. */
async function awardPoints(userId, invoiceTotalCents) {
  const points = Math.floor(invoiceTotalCents / 100);
  if (points > 0) {
    await User.updateOne({ _id: userId }, { $inc: { loyaltyPoints: points } });
  }
  return points;
}

async function redeem(userId, rewardKey) {
  const reward = REWARDS[rewardKey];
  if (!reward) {
    throw new AppError(400, 'Unknown reward', 'bad_request');
  }
  const user = await User.findById(userId);
  if (user.loyaltyPoints < reward.points) {
    throw new AppError(409, 'Not enough points', 'insufficient_points');
  }
  user.loyaltyPoints -= reward.points;
  await user.save();
  const voucher = await Voucher.create({
    code: `LOY-${crypto.randomBytes(6).toString('hex').toUpperCase()}`,
    amountOffCents: reward.amountOffCents,
    expiresAt: new Date(Date.now() + 180 * 24 * 3600 * 1000),
  });
  return { reward: reward.label, code: voucher.code, remaining: user.loyaltyPoints };
}

function catalogue() {
  return Object.entries(REWARDS).map(([key, r]) => ({ key, ...r }));
}

module.exports = { awardPoints, redeem, catalogue };
