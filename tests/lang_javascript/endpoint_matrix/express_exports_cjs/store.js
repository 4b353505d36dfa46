const db = require('./db');

exports.reports = (owner) => db.query('SELECT * FROM reports WHERE owner = $1', [owner]); // reach: request
exports.saveReport = (body) => db.query('INSERT INTO reports(title) VALUES ($1)', [body.title]);
exports.move = (id, where) => {
  return db.query('UPDATE items SET place = $2 WHERE id = $1', [id, where]); // reach: request
};
exports.tags = () => db.query('SELECT * FROM tags');
exports.renameTag = (id, name) => {
  return db.query('UPDATE tags SET name = $2 WHERE id = $1', [id, name]); // reach: request
};
exports.purge = () => {
  return db.query('DELETE FROM items'); // reach: none
};
