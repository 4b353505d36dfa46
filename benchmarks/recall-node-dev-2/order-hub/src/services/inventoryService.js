'use strict';

const createError = require('http-errors');
const Product = require('../models/Product');

async function reserve(productId, quantity) {
  const product = await Product.findById(productId);
  if (!product) {
    throw createError(404, 'product not found');
  }
  if (product.stock < quantity) {
    throw createError(409, `insufficient stock for ${product.sku}`);
  }
  product.stock -= quantity;
  await product.save();
  return product;
}

async function release(productId, quantity, session) {
  await Product.updateOne({ _id: productId }, { $inc: { stock: quantity } }, { session });
}

async function adjust(productId, delta) {
  const guard = delta < 0 ? { stock: { $gte: -delta } } : {};
  const product = await Product.findOneAndUpdate(
    { _id: productId, ...guard },
    { $inc: { stock: delta } },
    { new: true },
  );
  if (!product) {
    throw createError(409, 'stock adjustment would make stock negative');
  }
  return product;
}

module.exports = { reserve, release, adjust };
