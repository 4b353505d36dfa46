import { DataSource, Repository } from 'typeorm';
import { PatientListQuery } from '../dto/schemas';
import { Patient } from '../entities/Patient';

const SORT_COLUMNS: Record<PatientListQuery['sort'], string> = {
  name: 'p.last_name',
  created: 'p.created_at',
  dob: 'p.date_of_birth',
};

export class PatientRepository {
  private readonly repo: Repository<Patient>;

  constructor(dataSource: DataSource) {
    this.repo = dataSource.getRepository(Patient);
  }

  get raw(): Repository<Patient> {
    return this.repo;
  }

  findInClinic(id: string, clinicId: string): Promise<Patient | null> {
    return this.repo.findOneBy({ id, clinicId });
  }

  async search(clinicId: string, query: PatientListQuery): Promise<[Patient[], number]> {
    const qb = this.repo
      .createQueryBuilder('p')
      .where('p.clinic_id = :clinicId', { clinicId });

    if (query.q) {
      const term = query.q.trim();
      qb.andWhere(`(p.last_name ILIKE '${term}%' OR p.first_name ILIKE '${term}%')`);
    }

    return qb
      .orderBy(SORT_COLUMNS[query.sort], 'ASC')
      .addOrderBy('p.id', 'ASC')
      .take(query.limit)
      .skip(query.offset)
      .getManyAndCount();
  }

  findPossibleDuplicates(clinicId: string, lastName: string, dateOfBirth: string) {
    return this.repo
      .createQueryBuilder('p')
      .where('p.clinic_id = :clinicId', { clinicId })
      .andWhere('lower(p.last_name) = lower(:lastName)', { lastName })
      .andWhere('p.date_of_birth = :dateOfBirth', { dateOfBirth })
      .limit(5)
      .getMany();
  }

  async save(patient: Patient): Promise<Patient> {
    return this.repo.save(patient);
  }
}
