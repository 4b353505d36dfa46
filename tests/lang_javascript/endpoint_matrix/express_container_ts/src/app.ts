import express from 'express';
import { buildContainer } from './container';
import { buildRouter } from './routes';

const app = express();
app.use('/v1', buildRouter(buildContainer()));
app.listen(8080);
