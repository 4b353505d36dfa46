const express = require('express');
const helmet = require('helmet');
const { authenticate, requestLog } = require('./middleware/auth');
const usersRouter = require('./routes/users');

const app = express();
app.use(helmet());
app.use(express.json());
app.use(requestLog);

app.get('/health', (req, res) => res.json({ ok: true }));
app.use('/users', usersRouter);
app.use('/admin', authenticate, require('./routes/admin'));

app.post('/stripe-webhook', (req, res) => {
  res.sendStatus(204);
});

const notes = [];
app.post('/notes', (req, res) => {
  notes.push(req.body);
  res.sendStatus(201);
});

app.listen(3000);
