import { Router } from 'express';
import { users, listTags } from '../controllers';

export const apiRouter = Router();
apiRouter.get('/users', users.list);
apiRouter.get('/tags', listTags);
