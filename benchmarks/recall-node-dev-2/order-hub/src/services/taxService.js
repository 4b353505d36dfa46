'use strict';

const axios = require('axios');
const config = require('../config');

async function quoteTax(address, lines) {
  const { data } = await axios.post(`${config.tax.baseUrl}/v2/quotes`, {
    destination: {
      country: address.country,
      region: address.region,
      postalCode: address.postalCode,
    },
    lines: lines.map((line) => ({
      sku: line.sku,
      quantity: line.quantity,
      amount: line.unitPriceCents * line.quantity,
    })),
  });
  return data.totalTaxCents;
}

module.exports = { quoteTax };
