export { User, ROLES } from './User.js';
export { Clinic } from './Clinic.js';
export { Patient } from './Patient.js';
export { Practitioner } from './Practitioner.js';
export { Slot } from './Slot.js';
export { Appointment, APPOINTMENT_STATUSES } from './Appointment.js';
export { Invoice } from './Invoice.js';
export { LedgerEntry } from './LedgerEntry.js';
export { AuditLog } from './AuditLog.js';
