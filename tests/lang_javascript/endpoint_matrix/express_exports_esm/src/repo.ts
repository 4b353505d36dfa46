export const profiles = {
  find(id: string) {
    return { id }; // reach: request
  },
  async update(id: string, body: unknown) {
    return { id, body }; // reach: request
  },
};

class InvoiceRepo {
  async all(page: number) {
    return [page]; // reach: request
  }
  async delete(id: string) {
    return id; // reach: request
  }
}

export const invoiceRepo = new InvoiceRepo();
