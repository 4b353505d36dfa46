import Koa from 'koa';
import Router from 'koa-router';
import koaAuth from './middleware/koa-auth';
import resourceRoutes from './routes/resource';

const app = new Koa();
const management = new Router({ prefix: '/api' });
management.use(koaAuth());
resourceRoutes(management, { queries: { all: async () => [] } });

const anonymous = new Router();
anonymous.get('/status', async (ctx) => {
  ctx.body = { ok: true }; // reach: request
});
app.use(management.routes());
app.use(anonymous.routes());
app.listen(3000);
