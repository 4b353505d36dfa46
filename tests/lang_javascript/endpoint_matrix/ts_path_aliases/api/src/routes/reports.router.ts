import { Router } from 'express';
import * as c from '@/controllers/reports.controller';
import { requireApiKey } from '@/controllers/auth';

export const reportsRouter = Router();
reportsRouter.use(requireApiKey);
reportsRouter.get('/:id', c.getReport);
reportsRouter.post('/', c.createReport);
