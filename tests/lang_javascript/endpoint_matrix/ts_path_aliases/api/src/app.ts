import express from 'express';
import { reportsRouter } from '@/routes/reports.router';

const app = express();
app.use('/reports', reportsRouter);
app.listen(3000);
