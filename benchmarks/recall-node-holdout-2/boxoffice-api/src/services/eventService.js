'use strict';

const fs = require('fs/promises');
const { createReadStream } = require('fs');
const path = require('path');
const crypto = require('crypto');
const axios = require('axios');
const db = require('../db');
const config = require('../config');
const { HttpError } = require('../middleware/auth');

const SORTABLE = {
  date: 'events.starts_at',
  price: 'events.price_cents',
  title: 'events.title',
};

const COVERS_DIR = path.resolve(config.assetsDir, 'covers');
const EVENT_ASSETS_DIR = path.resolve(config.assetsDir, 'events');
const EDITABLE_FIELDS = ['title', 'description', 'starts_at', 'price_cents', 'venue_id'];

function clampLimit(raw) {
  const n = Number.parseInt(raw, 10);
  if (!Number.isFinite(n) || n <= 0) return 20;
  return Math.min(n, config.maxPageSize);
}

async function listPublished({ sort = 'date', order = 'asc', limit, offset = 0, from }) {
  const column = SORTABLE[sort] || SORTABLE.date;
  const direction = order === 'desc' ? 'desc' : 'asc';
  const query = db('events')
    .join('venues', 'venues.id', 'events.venue_id')
    .where('events.status', 'published')
    .select('events.id', 'events.title', 'events.starts_at', 'events.price_cents', 'events.currency',
      'events.remaining', 'venues.name as venue_name')
    .orderBy(column, direction)
    .limit(clampLimit(limit))
    .offset(Math.max(0, Number(offset) || 0));
  if (from) query.andWhere('events.starts_at', '>=', new Date(from));
  return query;
}

async function search({ q, sort = 'starts_at', dir = 'asc', limit }) {
  const term = `%${String(q || '').replace(/[%_]/g, '\\$&')}%`;
  return db('events')
    .where('status', 'published')
    .andWhere((b) => b.whereILike('title', term).orWhereILike('description', term))
    .select('id', 'title', 'starts_at', 'price_cents', 'currency')
    .orderByRaw(`${sort} ${dir} nulls last`)
    .limit(clampLimit(limit));
}

async function getPublished(id) {
  const event = await db('events').where({ id, status: 'published' }).first();
  if (!event) throw new HttpError(404, 'Event not found', 'not_found');
  return event;
}

async function getOwnedEvent(eventId, user) {
  const event = await db('events').where({ id: eventId }).first();
  if (!event) throw new HttpError(404, 'Event not found', 'not_found');
  if (event.organizer_id !== user.id && user.role !== 'admin') {
    throw new HttpError(404, 'Event not found', 'not_found');
  }
  return event;
}

async function create(user, input) {
  const venue = await db('venues').where({ id: input.venue_id }).first('id', 'capacity');
  if (!venue) throw new HttpError(422, 'Unknown venue', 'invalid_venue');
  const capacity = Math.min(input.capacity, venue.capacity);
  const [event] = await db('events')
    .insert({
      organizer_id: user.id,
      venue_id: venue.id,
      title: input.title,
      description: input.description,
      starts_at: input.starts_at,
      price_cents: input.price_cents,
      currency: input.currency,
      capacity,
      remaining: capacity,
    })
    .returning('*');
  return event;
}

async function update(eventId, user, changes) {
  await getOwnedEvent(eventId, user);
  const patch = {};
  for (const key of EDITABLE_FIELDS) {
    if (changes[key] !== undefined) patch[key] = changes[key];
  }
  const [event] = await db('events').where({ id: eventId }).update({ ...patch, updated_at: db.fn.now() }).returning('*');
  return event;
}

async function publish(eventId, user) {
  const event = await getOwnedEvent(eventId, user);
  if (event.status !== 'draft') throw new HttpError(409, 'Only drafts can be published', 'invalid_state');
  await db('events').where({ id: eventId }).update({ status: 'published' });
  return { ...event, status: 'published' };
}

async function setCoverFromUrl(eventId, user, imageUrl) {
  await getOwnedEvent(eventId, user);
  const response = await axios.get(imageUrl, {
    responseType: 'arraybuffer',
    timeout: 5000,
    maxContentLength: 5 * 1024 * 1024,
  });
  const type = String(response.headers['content-type'] || '');
  if (!type.startsWith('image/')) throw new HttpError(422, 'URL did not return an image', 'invalid_image');
  const name = `${eventId}-${crypto.randomUUID()}.${type.split('/')[1].replace(/[^a-z]/g, '') || 'img'}`;
  await fs.writeFile(path.join(COVERS_DIR, name), response.data);
  await db('events').where({ id: eventId }).update({ cover_path: `covers/${name}` });
  return { cover_path: `covers/${name}` };
}

async function attendees(eventId, user) {
  await getOwnedEvent(eventId, user);
  return db('tickets')
    .join('users', 'users.id', 'tickets.owner_id')
    .where('tickets.event_id', eventId)
    .select('tickets.id', 'tickets.code', 'tickets.status', 'users.display_name', 'users.email')
    .orderBy('tickets.id');
}

async function salesByDay(eventId, user, { tz = 'UTC' }) {
  await getOwnedEvent(eventId, user);
  const { rows } = await db.raw(
    `select date_trunc('day', created_at at time zone ?) as day, sum(quantity)::int as tickets, sum(total_cents)::bigint as gross_cents
       from orders where event_id = ? and status = 'paid' group by 1 order by 1`,
    [tz, eventId],
  );
  return rows;
}

function openCover(coverName) {
  const resolved = path.resolve(COVERS_DIR, path.basename(String(coverName)));
  if (!resolved.startsWith(COVERS_DIR + path.sep)) {
    throw new HttpError(400, 'Invalid file name', 'invalid_path');
  }
  return createReadStream(resolved);
}

function openEventAsset(eventId, fileName) {
  const target = path.join(EVENT_ASSETS_DIR, String(eventId), fileName);
  return new Promise((resolve, reject) => {
    const stream = createReadStream(target);
    stream.once('open', () => resolve(stream));
    stream.once('error', (err) => {
      if (err.code === 'ENOENT') return reject(new HttpError(404, 'Asset not found', 'not_found'));
      return reject(err);
    });
  });
}

module.exports = {
  listPublished, search, getPublished, getOwnedEvent, create, update, publish, setCoverFromUrl, attendees, salesByDay,
  openCover, openEventAsset,
};
