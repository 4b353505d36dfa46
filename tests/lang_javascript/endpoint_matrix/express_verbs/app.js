const express = require('express');
const { exec } = require('child_process');

const app = express();
app.use(express.json());

function health(req, res) {
  res.json({ ok: true }); // reach: request
}

app.get('/health', health);
app.post('/jobs', (req, res) => {
  runJob(req.body.name); // reach: request
  res.sendStatus(202);
});
app.route('/items/:id')
  .get((req, res) => res.json(lookup(req.params.id)))
  .put(function (req, res) {
    res.json(save(req.params.id, req.body)); // reach: request
  });
app.all('/ping', (req, res) => res.send('pong'));
app.delete('/items/:id', async function removeItem(req, res) {
  await drop(req.params.id); // reach: request
  res.end();
});

function runJob(name) {
  exec('run ' + name); // reach: request
}

function lookup(id) {
  return { id }; // reach: request
}

function save(id, body) {
  return { id, ...body }; // reach: request
}

async function drop(id) {
  return id; // reach: request
}

function unusedHelper(command) {
  return exec(command); // reach: none
}

app.listen(3000);
