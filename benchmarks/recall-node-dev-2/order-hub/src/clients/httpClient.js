'use strict';

const axios = require('axios');
const pkg = require('../../package.json');

function createHttpClient({ baseURL, headers = {}, timeout = 5000 }) {
  return axios.create({
    baseURL,
    timeout,
    headers: {
      'User-Agent': `order-hub/${pkg.version}`,
      Accept: 'application/json',
      ...headers,
    },
  });
}

module.exports = { createHttpClient };
