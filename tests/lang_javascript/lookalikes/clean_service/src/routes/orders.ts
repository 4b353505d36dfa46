import { Router, Request, Response } from 'express';
import axios from 'axios';
import path from 'path';
import { readFile } from 'fs/promises';
import { Order } from '../models';
import { requireUser } from '../middleware/auth';

const payments = axios.create({ baseURL: process.env.PAYMENTS_URL, timeout: 5000 });
export const orders = Router();
orders.use(requireUser);

orders.get('/orders/:id', async (req: Request, res: Response) => {
  const order = await Order.findOne({ _id: req.params.id, userId: res.locals.user.sub });
  if (!order) {
    res.sendStatus(404);
    return;
  }
  res.json(order);
});

orders.post('/orders', async (req: Request, res: Response) => {
  const { sku, quantity } = req.body;
  const order = await Order.create({ sku: String(sku), quantity: Number(quantity), userId: res.locals.user.sub });
  await payments.post('/charges', { orderId: order.id });
  res.status(201).json(order);
});

orders.get('/orders/:id/receipt', async (req: Request, res: Response) => {
  const name = path.basename(String(req.params.id));
  res.type('text/plain').send(await readFile(path.join('/var/receipts', name), 'utf8'));
});

orders.get('/orders-back', (req: Request, res: Response) => {
  res.redirect('/app/orders');
});
