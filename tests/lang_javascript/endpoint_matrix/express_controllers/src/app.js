const express = require('express');
const userRoutes = require('./routes');
const { errorHandler } = require('./errors');

const app = express();
app.use(express.json());
app.use(function requestLog(req, res, next) {
  console.log(req.method, req.originalUrl); // reach: request
  next();
});
app.use('/users', userRoutes);
app.use((req, res) => {
  res.status(404).json({ error: 'not found' }); // reach: request
});
app.use(errorHandler);
app.listen(3000);
