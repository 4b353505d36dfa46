'use strict';

const { Review, Booking, Workshop, User } = require('../models');
const { AppError } = require('../middleware/errorHandler');

async function listForWorkshop(workshopId, { before, limit }) {
  const query = { workshop: workshopId };
  if (before) {
    query.createdAt = { $lt: new Date(before) };
  }
  const reviews = await Review.find(query).sort({ createdAt: -1 }).limit(limit).lean();
  const out = [];
  for (const review of reviews) {
    const author = await User.findById(review.author).select('name').lean();
    out.push({
      id: review._id,
      rating: review.rating,
      text: review.text,
      createdAt: review.createdAt,
      author: author ? author.name.split(' ')[0] : 'Former customer',
    });
  }
  return out;
}

async function createReview(customerId, bookingId, { rating, text }) {
  const booking = await Booking.findOne({ _id: bookingId, customer: customerId, status: 'completed' }).select('workshop').lean();
  if (!booking) {
    throw new AppError(404, 'No completed booking to review', 'not_found');
  }
  const r = Number(rating);
  if (!Number.isInteger(r) || r < 1 || r > 5) {
    throw new AppError(400, 'rating must be 1-5', 'bad_request');
  }
  let review;
  try {
    review = await Review.create({ workshop: booking.workshop, booking: booking._id, author: customerId, rating: r, text: String(text || '').slice(0, 4000) });
  } catch (err) {
    if (err.code === 11000) {
      throw new AppError(409, 'Booking already reviewed', 'conflict');
    }
    throw err;
  }
  await Workshop.updateOne({ _id: booking.workshop }, [
    {
      $set: {
        rating: { $divide: [{ $add: [{ $multiply: ['$rating', '$ratingCount'] }, r] }, { $add: ['$ratingCount', 1] }] },
        ratingCount: { $add: ['$ratingCount', 1] },
      },
    },
  ]);
  return review;
}

module.exports = { listForWorkshop, createReview };
