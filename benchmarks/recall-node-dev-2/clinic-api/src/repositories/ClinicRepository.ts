import type { Queryable } from '../db.js';

export class ClinicRepository {
  constructor(private readonly db: Queryable) {}

  async listPublic() {
    const { rows } = await this.db.query(
      'SELECT id, name, city, phone, opening_hours FROM clinics ORDER BY city, name LIMIT 200',
    );
    return rows;
  }
}
