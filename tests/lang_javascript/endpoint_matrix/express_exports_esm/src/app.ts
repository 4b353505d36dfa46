import express from 'express';
import upload from './handlers/upload';
import { show, update } from './handlers/profile';
import * as invoices from './handlers/invoices';
import stats from './handlers/stats.js';

const app = express();
app.post('/upload', upload);
app.get('/profile/:id', show);
app.patch('/profile/:id', update);
app.get('/invoices', invoices.list);
app.delete('/invoices/:id', invoices.remove);
app.get('/stats', stats);
export default app;
