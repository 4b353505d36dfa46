const users = new Map();

class UserService {
  async all() {
    return [...users.values()]; // reach: request
  }

  async one(id) {
    return users.get(id); // reach: request
  }

  async update(id, body) {
    users.set(id, { ...users.get(id), ...body }); // reach: request
    return users.get(id);
  }

  async add(body) {
    users.set(body.id, body); // reach: request
    return body;
  }
}

module.exports = UserService;
