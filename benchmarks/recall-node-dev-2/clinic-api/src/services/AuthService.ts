import jwt from 'jsonwebtoken';
import { config } from '../config.js';
import { withTransaction } from '../db.js';
import { logger } from '../logger.js';
import type { SmsClient } from '../clients/smsClient.js';
import type { PatientRepository, PatientRow } from '../repositories/PatientRepository.js';
import type { UserRepository, UserRow } from '../repositories/UserRepository.js';
import { HttpError } from '../utils/httpError.js';
import { generateOtp, hashPassword, hashToken, verifyPassword } from '../utils/passwords.js';

export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly patients: PatientRepository,
    private readonly sms: SmsClient,
  ) {}

  async staffLogin(email: string, password: string) {
    const user = await this.users.findByEmail(email.toLowerCase());
    if (!user || !user.active || !verifyPassword(password, user.password_hash)) {
      throw new HttpError(401, 'invalid email or password');
    }
    await this.users.touchLogin(user.id);
    logger.info({ userId: user.id }, 'staff login');
    return { token: this.issueStaffToken(user), role: user.role };
  }

  async acceptInvite(token: string, password: string) {
    const invite = await this.users.findPendingInvite(hashToken(token));
    if (!invite) {
      throw new HttpError(400, 'invite is invalid or has expired');
    }
    await withTransaction((client) =>
      this.users.acceptInvite(client, invite.id, invite.user_id, hashPassword(password)),
    );
  }

  async requestPatientCode(phone: string) {
    const patient = await this.patients.findByPhone(phone);
    if (!patient) {
      return;
    }
    const code = generateOtp();
    await this.patients.saveLoginCode(patient.id, hashToken(code), config.otp.ttlMinutes);
    await this.sms.send(patient.phone, `Your clinic sign-in code is ${code}. It expires in ${config.otp.ttlMinutes} minutes.`);
  }

  async verifyPatientCode(phone: string, code: string) {
    const patient = await this.patients.findByPhone(phone);
    if (!patient || !(await this.patients.consumeLoginCode(patient.id, hashToken(code)))) {
      throw new HttpError(401, 'invalid code');
    }
    return { token: this.issuePatientToken(patient) };
  }

  private issueStaffToken(user: UserRow): string {
    return jwt.sign({ sub: String(user.id), role: user.role }, config.jwt.secret, {
      algorithm: 'HS256',
      expiresIn: config.jwt.staffTtlSeconds,
      issuer: config.jwt.issuer,
    });
  }

  private issuePatientToken(patient: PatientRow): string {
    return jwt.sign({ sub: String(patient.id), role: 'patient', patientId: patient.id }, config.jwt.secret, {
      algorithm: 'HS256',
      issuer: config.jwt.issuer,
    });
  }
}
