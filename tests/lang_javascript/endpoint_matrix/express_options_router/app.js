const express = require('express');
const auth = require('./auth-routes');

const app = express();
const router = express.Router();
auth.reloadRoutes({ router, logger: console });
app.use('/api', router);
app.listen(3000);
