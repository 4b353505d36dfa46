'use strict';

const axios = require('axios');
const config = require('../config');

const http = axios.create({ baseURL: config.vinDecoder.baseURL });

/** Returns make/model/year for a VIN from the decoder service. */
async function decodeVin(vin) {
  const { data } = await http.get(`/decode/${encodeURIComponent(vin)}`);
  return { make: data.make, model: data.model, year: Number(data.modelYear) || undefined };
}

module.exports = { decodeVin };
