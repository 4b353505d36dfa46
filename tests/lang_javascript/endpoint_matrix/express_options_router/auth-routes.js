const controllers = require('./controllers');

exports.reloadRoutes = async function (params) {
  const { router, logger } = params;
  logger.info('auth routes loading'); // reach: none
  router.post('/register', controllers.register);
  router.post('/login', controllers.login);
};
