const Koa = require('koa');
const bodyParser = require('koa-bodyparser');
const api = require('./routes/api');

const app = new Koa();
app.use(bodyParser());
app.use(async (ctx, next) => {
  const started = Date.now(); // reach: request
  await next();
  ctx.set('X-Response-Time', `${Date.now() - started}ms`);
});
app.use(api.routes());
app.use(api.allowedMethods());
app.listen(3000);
