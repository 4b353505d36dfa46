import AuthController from '../auth/AuthController.mjs';
import Boards from './Boards.mjs';

function install(router) {
  router.get('/boards/:id/history', AuthController.requireLogin(), Boards.history);
}

export default { install };
