import express from 'express';
import { apiRouter } from './routes';
import * as controllers from './controllers';

const app = express();
app.param('orderId', controllers.loadOrder);
app.use('/api', apiRouter);
app.get('/orders/:orderId', controllers.showOrder);
app.listen(3000);
