import express from 'express';
import AuthController from './auth/AuthController.mjs';
import Access from './auth/Access.mjs';
import Boards from './features/Boards.mjs';
import Routes from './features/routes.mjs';

const { stampRequest } = Access;

const app = express();
app.use(express.json());
app.use(stampRequest);

app.get('/boards/:id', AuthController.requireLogin(), Boards.show);
app.post('/boards/:id/cards', AuthController.requireLogin(), Access.ensureEditor, Boards.addCard);
app.get('/about', Access.throttle, Boards.about);

const boardsRouter = express.Router();
app.use(boardsRouter);
await Routes.install(boardsRouter);

app.listen(3000);
