const express = require('express');
const makeList = require('./list');
const handlers = require('./handlers');
const { db } = require('./db');

const app = express();

function makeHealth() {
  return (req, res) => {
    res.json({ ok: db.ping() }); // reach: request
  };
}

function makeEcho(prefix) {
  function echo(req, res) {
    res.send(prefix + req.query.text); // reach: request
  }
  return echo;
}

app.get('/health', makeHealth());
app.get('/echo', makeEcho('> '));
app.get('/orders', makeList(db, 'orders'));
app.post('/orders', handlers.create(db));
app.listen(3000);
