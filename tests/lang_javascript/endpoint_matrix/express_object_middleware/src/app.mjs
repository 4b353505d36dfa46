import express from 'express';
import AuthController from './auth/AuthController.mjs';
import Access from './auth/Access.mjs';
import Boards from './features/Boards.mjs';

const { stampRequest } = Access;

const app = express();
app.use(express.json());
app.use(stampRequest);

app.get('/boards/:id', AuthController.requireLogin(), Boards.show);
app.post('/boards/:id/cards', AuthController.requireLogin(), Access.ensureEditor, Boards.addCard);
app.get('/about', Access.throttle, Boards.about);

app.listen(3000);
