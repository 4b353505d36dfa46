import { forbidden } from '../utils/errors.js';

/**
 * Central place for "may this caller see this patient-scoped record" checks.
 * Patients see their own records; staff see records of their clinic;
 * platform admins see everything.
 */
export function assertCanAccessPatientRecord(user, record) {
  if (user.role === 'platform_admin') return;
  const clinicId = String(record.clinic?._id ?? record.clinic);
  const patientId = String(record.patient?._id ?? record.patient ?? record._id);

  if (user.role === 'patient') {
    if (patientId !== user.patientId) throw forbidden();
    return;
  }
  if (clinicId !== user.clinicId) throw forbidden();
}

export function clinicScope(user) {
  if (user.role === 'platform_admin') return {};
  return { clinic: user.clinicId };
}
