'use strict';

const axios = require('axios');
const db = require('../db');
const config = require('../config');
const { HttpError } = require('../middleware/auth');

const UPDATABLE = ['name', 'address', 'capacity'];

function pick(source, keys) {
  const out = {};
  for (const key of keys) {
    if (Object.prototype.hasOwnProperty.call(source, key)) out[key] = source[key];
  }
  return out;
}

async function geocode(address) {
  const { data } = await axios.get(config.geocoder.baseUrl, {
    params: { q: address, key: config.geocoder.apiKey, limit: 1 },
  });
  const hit = data && data.results && data.results[0];
  return hit ? { lat: hit.lat, lng: hit.lng } : { lat: null, lng: null };
}

async function create(owner, input) {
  const coords = await geocode(input.address);
  const [venue] = await db('venues')
    .insert({ owner_id: owner.id, name: input.name, address: input.address, capacity: input.capacity, ...coords })
    .returning('*');
  return venue;
}

async function getOwned(venueId, user) {
  const venue = await db('venues').where({ id: venueId }).first();
  if (!venue || (venue.owner_id !== user.id && user.role !== 'admin')) {
    throw new HttpError(404, 'Venue not found', 'not_found');
  }
  return venue;
}

async function update(venueId, user, body) {
  const venue = await getOwned(venueId, user);
  const patch = pick(body, UPDATABLE);
  if (patch.address && patch.address !== venue.address) {
    Object.assign(patch, await geocode(patch.address));
  }
  const [updated] = await db('venues').where({ id: venue.id }).update(patch).returning('*');
  return updated;
}

async function listMine(user) {
  return db('venues').where({ owner_id: user.id }).orderBy('name').limit(200);
}

module.exports = { create, getOwned, update, listMine, geocode };
