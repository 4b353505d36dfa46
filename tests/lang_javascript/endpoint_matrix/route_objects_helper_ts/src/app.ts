import express from 'express';
import { ProjectController } from './projects';

const app = express();
app.use('/api', new ProjectController(new Map()).router);
app.listen(3000);
