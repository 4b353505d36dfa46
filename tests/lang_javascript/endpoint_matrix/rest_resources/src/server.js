const express = require('express');
const finale = require('finale-rest');
const { sequelize, User, Product, Feedback } = require('./models');
const { requireSignIn } = require('./auth');

const app = express();
app.use(express.json());
app.use('/api/users', requireSignIn);

finale.initialize({ app, sequelize, base: '/api' });

const users = finale.resource({ model: User, endpoints: ['/users', '/users/:id'] });
finale.resource({
  model: Product,
  endpoints: ['/products', '/products/:id'],
  actions: ['list', 'read'],
});
const feedback = finale.resource({
  model: Feedback,
  endpoints: ['/feedbacks', '/feedbacks/:id'],
  updateMethod: 'patch',
});

feedback.create.write.before((req, res, context) => {
  context.attributes.rating = Number(req.body.rating); // reach: request
  return context.continue;
});
feedback.delete.auth((req, res, context) => {
  if (!req.user || req.user.role !== 'admin') {
    res.status(403).json({ error: 'admins only' }); // reach: request
    return context.stop;
  }
  return context.continue;
});
users.list.fetch.after((req, res, context) => {
  context.instance.forEach((user) => delete user.dataValues.password); // reach: request
  return context.continue;
});

app.listen(3000);
