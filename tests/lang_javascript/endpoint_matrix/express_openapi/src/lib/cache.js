const store = new Map();

// get/del of a key: a cache, not operations (a handler takes the request and the response)
function get(key) {
  return store.get(key); // reach: none
}

function del(key) {
  store.delete(key);
}

module.exports = { get, del };
