const Router = require('@koa/router');
const notes = require('../controllers/notes');
const admin = require('./admin');

const api = new Router({ prefix: '/api' });

async function requireUser(ctx, next) {
  if (!ctx.state.user) {
    ctx.throw(401, 'sign in first'); // reach: request
  }
  await next();
}

api.get('/notes', notes.list);
api.get('/notes/:id', requireUser, notes.show);
api.post('/notes', requireUser, async (ctx) => {
  ctx.body = await notes.create(ctx.request.body); // reach: request
});
api.use('/admin', requireUser, admin.routes(), admin.allowedMethods());

module.exports = api;
