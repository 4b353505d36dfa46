'use strict';

const mongoose = require('mongoose');
const config = require('./config');

mongoose.set('strictQuery', true);

async function connect() {
  await mongoose.connect(config.mongoUrl, {
    maxPoolSize: 20,
    serverSelectionTimeoutMS: 5000,
    socketTimeoutMS: 30000,
  });
  return mongoose.connection;
}

module.exports = { connect, mongoose };
