export class ShelfStore {
  async find(shelfId: string) {
    return { shelfId }; // reach: request
  }

  async place(shelfId: string, slug: string, note: unknown) {
    return { shelfId, slug, note }; // reach: request
  }

  async drop(shelfId: string) {
    return shelfId; // reach: request
  }

  async reindexAll() {
    return true; // reach: request
  }

  async compact() {
    return false; // reach: none
  }
}
