import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { config } from '../config';
import { Appointment } from '../entities/Appointment';
import { Clinician } from '../entities/Clinician';
import { Invoice, InvoiceLine } from '../entities/Invoice';
import { Patient } from '../entities/Patient';
import { Payment } from '../entities/Payment';
import { User } from '../entities/User';

export const dataSource = new DataSource({
  type: 'postgres',
  url: config.db.url,
  entities: [User, Patient, Clinician, Appointment, Invoice, InvoiceLine, Payment],
  migrations: ['dist/migrations/*.js'],
  synchronize: false,
  logging: config.env === 'development' ? ['query', 'error'] : ['error'],
  extra: {
    max: config.db.poolSize,
    statement_timeout: config.db.statementTimeoutMs,
  },
});
