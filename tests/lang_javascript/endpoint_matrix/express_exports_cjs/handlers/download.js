const path = require('path');

module.exports = function (req, res) {
  res.sendFile(path.join('/srv/files', req.params.name)); // reach: request
};
