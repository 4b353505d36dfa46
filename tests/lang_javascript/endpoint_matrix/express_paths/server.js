const express = require('express');
const registerAdmin = require('./routes/admin');

const app = express();

app.get(['/files/:name', '/downloads/:name'], (req, res) => {
  res.sendFile(req.params.name, { root: '/srv/files' }); // reach: request
});
app.get(/^\/legacy\/(\d+)$/, function legacy(req, res) {
  res.redirect(`/items/${req.params[0]}`); // reach: request
});
app.post('/import', require('./routes/importer')());
app.use('/reports', require('./routes/reports'));
app.use('/echo', function echo(req, res) {
  res.send(req.query.text); // reach: request
});
registerAdmin(app, { retention: 30 });
app.listen(3000);
