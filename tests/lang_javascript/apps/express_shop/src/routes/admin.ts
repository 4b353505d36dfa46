import { Router, Request, Response } from 'express';

const router = Router();

router.delete('/users/:id', async (req: Request, res: Response): Promise<void> => {
  const { id } = req.params;
  res.json({ deleted: id });
});

export default router;
