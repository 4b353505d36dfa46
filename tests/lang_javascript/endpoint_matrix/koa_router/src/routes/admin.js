const Router = require('koa-router');
const AuditService = require('../controllers/audit');

const admin = new Router();
const audit = new AuditService();

admin.delete('/notes/:id', async (ctx) => {
  await audit.record('delete', ctx.params.id); // reach: request
  ctx.status = 204;
});

admin.get('audit-log', '/audit/:day', async (ctx) => {
  ctx.body = await audit.record('read', ctx.params.day); // reach: request
});
admin.del('/audit/:day', async (ctx) => {
  ctx.status = 204; // reach: request
});

module.exports = admin;
