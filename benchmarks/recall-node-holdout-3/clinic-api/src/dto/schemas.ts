import { z } from 'zod';

const uuid = z.string().uuid();

export const loginSchema = z.object({
  email: z.string().email().max(254),
  password: z.string().min(1).max(200),
});

export const resetRequestSchema = z.object({
  email: z.string().email().max(254),
});

export const resetConfirmSchema = z.object({
  token: z.string().min(10).max(200),
  password: z.string().min(12).max(200),
});

export const createPatientSchema = z
  .object({
    firstName: z.string().min(1).max(100),
    lastName: z.string().min(1).max(100),
    dateOfBirth: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    email: z.string().email().max(254).optional(),
    phone: z.string().max(32).optional(),
    insuranceMemberId: z.string().max(64).optional(),
  })
  .strict();

export const updatePatientSchema = createPatientSchema.partial().strict();

export const patientListQuery = z.object({
  q: z.string().max(100).optional(),
  sort: z.enum(['name', 'created', 'dob']).default('name'),
  limit: z.coerce.number().int().min(1).max(100).default(25),
  offset: z.coerce.number().int().min(0).default(0),
});

export const bookAppointmentSchema = z.object({
  patientId: uuid,
  clinicianId: uuid,
  startsAt: z.coerce.date(),
  durationMinutes: z.number().int().min(10).max(240),
  reason: z.string().max(500).optional(),
});

export const invoiceLineSchema = z.object({
  description: z.string().min(1).max(200),
  unitPriceCents: z.number().int().min(0).max(10_000_000),
  quantity: z.number().int().min(1).max(100),
});

export const createInvoiceSchema = z.object({
  patientId: uuid,
  appointmentId: uuid.optional(),
  lines: z.array(invoiceLineSchema).min(1).max(50),
});

export const payInvoiceSchema = z.object({
  method: z.enum(['card', 'credit']),
  cardToken: z.string().max(128).optional(),
  amountCents: z.number().int().min(1),
});

export const refundSchema = z.object({
  paymentId: uuid,
  reason: z.string().max(200),
});

export const importDocumentSchema = z.object({
  sourceUrl: z.string().url(),
  title: z.string().min(1).max(200),
});

export const roleChangeSchema = z.object({
  role: z.enum(['admin', 'clinician', 'frontdesk']),
});

export type LoginDto = z.infer<typeof loginSchema>;
export type CreatePatientDto = z.infer<typeof createPatientSchema>;
export type UpdatePatientDto = z.infer<typeof updatePatientSchema>;
export type PatientListQuery = z.infer<typeof patientListQuery>;
export type BookAppointmentDto = z.infer<typeof bookAppointmentSchema>;
export type CreateInvoiceDto = z.infer<typeof createInvoiceSchema>;
export type PayInvoiceDto = z.infer<typeof payInvoiceSchema>;
export type RefundDto = z.infer<typeof refundSchema>;
export type ImportDocumentDto = z.infer<typeof importDocumentSchema>;
