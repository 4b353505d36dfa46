'use strict';

const fs = require('fs/promises');
const path = require('path');
const config = require('../config');
const { AppError } = require('../middleware/errorHandler');
const { makeThumbnail } = require('../lib/thumbnails');

const ALLOWED_EXT = new Set(['.jpg', '.jpeg', '.png', '.heic']);
const MAX_PHOTOS = 12;

/** Stores a customer-supplied photo of the damage for a booking, plus a thumbnail. */
async function saveBookingPhoto(booking, { fileName, contentBase64 }) {
  if (booking.photos.length >= MAX_PHOTOS) {
    throw new AppError(400, `At most ${MAX_PHOTOS} photos per booking`, 'too_many_photos');
  }
  const ext = path.extname(String(fileName)).toLowerCase();
  if (!ALLOWED_EXT.has(ext)) {
    throw new AppError(400, 'Unsupported file type', 'bad_file');
  }
  const bytes = Buffer.from(String(contentBase64), 'base64');
  if (bytes.length === 0 || bytes.length > config.maxUploadBytes) {
    throw new AppError(400, 'File is empty or too large', 'bad_file');
  }

  const dir = path.join(config.uploadDir, 'bookings', String(booking._id));
  const target = path.join(dir, fileName);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.writeFile(target, bytes);

  const thumb = await makeThumbnail(target);
  booking.photos.push({ path: target, thumb, uploadedAt: new Date() });
  await booking.save();
  return { count: booking.photos.length };
}

async function removeBookingPhoto(booking, index) {
  const photo = booking.photos[index];
  if (!photo) {
    throw new AppError(404, 'Photo not found', 'not_found');
  }
  const root = path.resolve(config.uploadDir, 'bookings', String(booking._id));
  for (const p of [photo.path, photo.thumb]) {
    const resolved = path.resolve(p);
    if (resolved.startsWith(root + path.sep)) {
      await fs.rm(resolved, { force: true });
    }
  }
  booking.photos.splice(index, 1);
  await booking.save();
}

module.exports = { saveBookingPhoto, removeBookingPhoto };
