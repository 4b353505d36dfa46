const Router = require('koa-router');
const AuditService = require('../controllers/audit');

const admin = new Router();
const audit = new AuditService();

admin.delete('/notes/:id', async (ctx) => {
  await audit.record('delete', ctx.params.id); // reach: request
  ctx.status = 204;
});

module.exports = admin;
