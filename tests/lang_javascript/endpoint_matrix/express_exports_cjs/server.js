const express = require('express');
const download = require('./handlers/download');
const reports = require('./handlers/reports');
const { archive, restore } = require('./handlers/archive');
const tags = require('./handlers/tags');
const handlers = require('./handlers');

const app = express();
app.get('/download/:name', download);
app.get('/reports', reports.list);
app.post('/reports', reports.create);
app.post('/archive/:id', archive);
app.post('/restore/:id', restore);
app.get('/tags', tags.all);
app.put('/tags/:id', tags.rename);
app.get('/files/:name', handlers.fetchFile);
app.get('/labels', handlers.tagsApi.all);
module.exports = app;
