const express = require('express');

exports.expressPreSession = async (hookName, { app }) => {
  app.use(express.json());
  app.post('/ep/diagnostics', async (req, res) => {
    console.info(JSON.stringify(req.body).length); // reach: request
    res.end();
  });
};

exports.expressCreateServer = (hookName, args, cb) => {
  args.app.get('/admin/status', (req, res) => {
    res.json({ up: true, at: Date.now() }); // reach: request
  });
  args.settings.get('title', (value) => value);
  return cb();
};
