import { Router } from 'express';
import { DataSource } from 'typeorm';
import { Container, TOKENS } from '../container';
import { AppConfig } from '../config';
import { AppointmentController } from '../controllers/AppointmentController';
import { AuthController } from '../controllers/AuthController';
import { BillingController } from '../controllers/BillingController';
import { PatientController } from '../controllers/PatientController';
import { HttpClientFactory } from '../clients/httpClientFactory';
import { AppointmentService } from '../services/AppointmentService';
import { AuthService } from '../services/AuthService';
import { BillingService } from '../services/BillingService';
import { DocumentService } from '../services/DocumentService';
import { Mailer } from '../services/Mailer';
import { PatientService } from '../services/PatientService';
import { adminRoutes } from './admin.routes';
import { appointmentRoutes } from './appointments.routes';
import { authRoutes } from './auth.routes';
import { clinicianRoutes } from './clinicians.routes';
import { invoiceRoutes } from './invoices.routes';
import { patientRoutes } from './patients.routes';
import { portalRoutes } from './portal.routes';
import { webhookRoutes } from './webhooks.routes';

export interface Routers {
  api: Router;
  portal: Router;
  webhooks: Router;
}

export function buildRouters(container: Container, cfg: AppConfig): Routers {
  const dataSource = container.resolve<DataSource>(TOKENS.dataSource);

  const auth = new AuthController(
    container.resolve<AuthService>(TOKENS.authService),
    new Mailer(container.resolve<HttpClientFactory>(TOKENS.httpFactory)),
    cfg,
  );
  const patients = new PatientController(
    container.resolve<PatientService>(TOKENS.patientService),
    container.resolve<DocumentService>(TOKENS.documentService),
    container.resolve<BillingService>(TOKENS.billingService),
  );
  const appointments = new AppointmentController(
    container.resolve<AppointmentService>(TOKENS.appointmentService),
  );
  const billing = new BillingController(
    container.resolve<BillingService>(TOKENS.billingService),
    dataSource,
    cfg,
  );

  const api = Router();
  api.use('/auth', authRoutes(auth));
  api.use('/patients', patientRoutes(patients));
  api.use('/appointments', appointmentRoutes(appointments));
  api.use('/invoices', invoiceRoutes(billing));
  api.use('/clinicians', clinicianRoutes(dataSource));
  api.use('/admin', adminRoutes(auth));

  return {
    api,
    portal: portalRoutes(patients, appointments, billing),
    webhooks: webhookRoutes(billing),
  };
}
