const store = new Map<string, { text: string; labels: string[] }>();

export class NoteService {
  async get(id: string) {
    return store.get(id); // reach: request
  }

  async update(id: string, body: { text: string }) {
    store.set(id, { labels: [], ...store.get(id), text: body.text }); // reach: request
    return store.get(id);
  }

  async add(id: string, label: string) {
    store.get(id)?.labels.push(label); // reach: request
    return store.get(id);
  }

  async purge() {
    store.clear(); // reach: none
  }
}
