'use strict';

const config = require('../config');
const emailClient = require('../clients/emailClient');

function sendPasswordReset(email, token) {
  const link = `${config.storefrontUrl}/reset-password?token=${encodeURIComponent(token)}`;
  return emailClient.sendTemplate(email, 'password-reset', { link }, `reset-${token}`);
}

function sendOrderShipped(order) {
  return emailClient.sendTemplate(
    order.customerEmail,
    'order-shipped',
    { orderId: String(order._id), trackingNumber: order.trackingNumber },
    `shipped-${order._id}`,
  );
}

module.exports = { sendPasswordReset, sendOrderShipped };
