const store = new Map();

exports.find = (id) => store.get(id); // reach: request
exports.all = () => [...store.values()];
exports.cancel = (id, user) => {
  return store.delete(id) && Boolean(user); // reach: request
};
exports.purge = () => {
  store.clear(); // reach: none
};
