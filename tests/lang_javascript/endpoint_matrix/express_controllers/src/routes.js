const { Router } = require('express');
const UserController = require('./controllers/user');
const UserService = require('./services/user');
const settings = require('./controllers/settings');

const router = Router();
const controller = new UserController(new UserService());

router.get('/', controller.list.bind(controller));
router.get('/:id', (req, res, next) => controller.show(req, res, next));
router.post('/', controller.create);
router.put('/:id', controller.update);
router.post('/:id/tags', controller.add);
router.get('/:id/settings', settings.read);

module.exports = router;
