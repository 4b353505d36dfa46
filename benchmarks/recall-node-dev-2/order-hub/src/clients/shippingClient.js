'use strict';

const config = require('../config');
const { createHttpClient } = require('./httpClient');

const http = createHttpClient({
  baseURL: config.shipping.baseUrl,
  headers: { 'X-Api-Key': config.shipping.apiKey },
  timeout: 8000,
});

async function createShipment(order) {
  const { data } = await http.post(
    '/v1/shipments',
    {
      reference: String(order._id),
      address: order.shippingAddress,
      parcels: order.items.map((item) => ({ sku: item.sku, quantity: item.quantity })),
    },
    { headers: { 'Idempotency-Key': `shipment-${order._id}` } },
  );
  return { shipmentId: data.id, trackingNumber: data.tracking_number };
}

async function getShipment(shipmentId) {
  const { data } = await http.get(`/v1/shipments/${encodeURIComponent(shipmentId)}`);
  return data;
}

module.exports = { createShipment, getShipment };
