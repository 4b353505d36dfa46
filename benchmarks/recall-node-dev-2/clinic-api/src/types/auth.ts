export type StaffRole = 'doctor' | 'nurse' | 'billing' | 'admin';
export type Role = StaffRole | 'patient';

export interface AuthUser {
  id: number;
  role: Role;
  patientId?: number;
}

export interface TokenClaims {
  sub: string;
  role: Role;
  patientId?: number;
}
