module.exports = function registerAdmin(server, options) {
  server.delete('/admin/cache', (req, res) => {
    res.json({ purged: options.retention }); // reach: request
  });
  server.post('/admin/reindex', reindex);
};

function reindex(req, res) {
  res.sendStatus(202); // reach: request
}
