import { Router } from 'express';
import type { Container } from './container';

export function buildRouter(c: Container): Router {
  const { notes } = c.controllers;
  const router = Router();
  router.get('/notes/:id', notes.get);
  router.put('/notes/:id', notes.update);
  router.post('/notes/:id/labels', notes.add);
  return router;
}
