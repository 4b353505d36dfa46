const store = new Map<string, unknown>();

export const reports = {
  async find(id: string) {
    return store.get(id); // reach: request
  },
  async create(body: { id: string }) {
    store.set(body.id, body); // reach: request
    return body;
  },
};
