import { Request, Response } from 'express';

class SettingsController {
  read = (req: Request, res: Response) => {
    res.json({ user: req.params.id, theme: 'dark' }); // reach: request
  };
}

export = new SettingsController();
