const express = require('express');
const path = require('path');
const audit = require('./audit');

const app = express();

function serveFile() {
  return (req, res, next) => {
    const file = req.params.file;
    if (!file.endsWith('.md')) return next(new Error('only markdown')); // reach: request
    return res.sendFile(path.resolve('ftp', file)); // reach: request
  };
}

function sendDownload(req, res) {
  res.download(path.join('/srv/downloads', 'latest.zip')); // reach: request
}

function stamp(req, res, next) {
  res.setHeader('X-Served-By', 'edge'); // reach: request
  next();
}

app.use(stamp);
app.use('/ftp/:file', serveFile());
app.use('/legacy', (req, res) => res.redirect(301, `/v2${req.url}`));
app.use('/downloads', sendDownload);
app.use('/api', (req, res, next) => {
  if (!req.headers.authorization) return res.sendStatus(401);
  return next();
});
app.use('/api', audit);
app.get('/health', (req, res) => res.json({ ok: true }));
app.listen(3000);
