import { z } from 'zod';

export const staffLoginSchema = z.object({
  email: z.string().email().max(254),
  password: z.string().min(1).max(200),
});

export const acceptInviteSchema = z.object({
  token: z.string().min(20).max(200),
  password: z.string().min(12).max(200),
});

export const patientCodeRequestSchema = z.object({
  phone: z.string().regex(/^\+[1-9]\d{7,14}$/),
});

export const patientCodeVerifySchema = z.object({
  phone: z.string().regex(/^\+[1-9]\d{7,14}$/),
  code: z.string().regex(/^\d{6}$/),
});

export const updateContactSchema = z
  .object({
    email: z.string().email().max(254).optional(),
    address: z.string().max(500).optional(),
    phone: z.string().regex(/^\+[1-9]\d{7,14}$/).optional(),
  })
  .strict();

export const bookingSchema = z.object({
  patientId: z.number().int().positive().optional(),
  practitionerId: z.number().int().positive(),
  clinicId: z.number().int().positive(),
  startsAt: z.string().datetime(),
  durationMinutes: z.number().int().min(10).max(120).default(20),
  visitType: z.enum(['consultation', 'follow-up', 'vaccination', 'lab-draw', 'telehealth']),
});

export const createInvoiceSchema = z.object({
  patientId: z.number().int().positive(),
  appointmentId: z.number().int().positive().optional(),
  dueDate: z.string().date(),
  notes: z.string().max(2000).optional(),
  items: z
    .array(
      z.object({
        description: z.string().min(1).max(300),
        code: z.string().max(20).optional(),
        quantity: z.number().int().min(1).max(100),
        unitPrice: z.number().positive().max(100_000),
      }),
    )
    .min(1)
    .max(100),
});

export const recordPaymentSchema = z.object({
  amount: z.string().regex(/^\d{1,10}(\.\d{1,2})?$/),
  method: z.enum(['cash', 'check', 'bank_transfer', 'insurance']),
  reference: z.string().max(100).optional(),
});

export const cardPaymentSchema = z.object({
  cardToken: z.string().min(10).max(200),
});

export const writeOffSchema = z.object({
  reason: z.string().min(3).max(500),
});

export const reportQuerySchema = z.object({
  from: z.string().date(),
  to: z.string().date(),
});
