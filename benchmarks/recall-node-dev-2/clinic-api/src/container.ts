import { config } from './config.js';
import { pool } from './db.js';
import { createInsuranceClient } from './clients/insuranceClient.js';
import { LabProviderClient } from './clients/labProviderClient.js';
import { PaymentGateway } from './clients/paymentGateway.js';
import { createSmsClient } from './clients/smsClient.js';
import { AppointmentRepository } from './repositories/AppointmentRepository.js';
import { ClinicRepository } from './repositories/ClinicRepository.js';
import { InvoiceRepository } from './repositories/InvoiceRepository.js';
import { LabResultRepository } from './repositories/LabResultRepository.js';
import { PatientRepository } from './repositories/PatientRepository.js';
import { ReportRepository } from './repositories/ReportRepository.js';
import { UserRepository } from './repositories/UserRepository.js';
import { AppointmentService } from './services/AppointmentService.js';
import { AuthService } from './services/AuthService.js';
import { InvoiceService } from './services/InvoiceService.js';
import { LabResultService } from './services/LabResultService.js';
import { PatientService } from './services/PatientService.js';
import { PaymentService } from './services/PaymentService.js';

const sms = createSmsClient(config.sms);
const insurance = createInsuranceClient(config.insurance);
const gateway = new PaymentGateway(config.payments);
const labProvider = new LabProviderClient(config.labProvider);

export const repositories = {
  users: new UserRepository(pool),
  patients: new PatientRepository(pool),
  appointments: new AppointmentRepository(pool),
  invoices: new InvoiceRepository(pool),
  labResults: new LabResultRepository(pool),
  reports: new ReportRepository(pool),
  clinics: new ClinicRepository(pool),
};

export const clients = { sms, insurance, gateway, labProvider };

export const services = {
  auth: new AuthService(repositories.users, repositories.patients, sms),
  patients: new PatientService(repositories.patients),
  appointments: new AppointmentService(repositories.appointments, repositories.patients, insurance),
  invoices: new InvoiceService(repositories.invoices),
  payments: new PaymentService(repositories.invoices, gateway),
  labResults: new LabResultService(repositories.labResults, labProvider),
};
