import mongoose from 'mongoose';

const { Schema } = mongoose;

export const ROLES = Object.freeze(['patient', 'practitioner', 'receptionist', 'clinic_admin', 'platform_admin']);

const userSchema = new Schema(
  {
    email: { type: String, required: true, lowercase: true, trim: true, unique: true },
    passwordHash: { type: String, required: true, select: false },
    firstName: { type: String, required: true, trim: true },
    lastName: { type: String, required: true, trim: true },
    phone: { type: String, trim: true },
    role: { type: String, enum: ROLES, default: 'patient', index: true },
    clinic: { type: Schema.Types.ObjectId, ref: 'Clinic', index: true },
    patientProfile: { type: Schema.Types.ObjectId, ref: 'Patient' },
    resetTokenHash: { type: String, select: false },
    resetTokenExpiresAt: { type: Date, select: false },
    tokenVersion: { type: Number, default: 0 },
    lastLoginAt: Date,
    disabled: { type: Boolean, default: false },
  },
  { timestamps: true },
);

userSchema.set('toJSON', {
  transform(_doc, ret) {
    delete ret.passwordHash;
    delete ret.resetTokenHash;
    delete ret.resetTokenExpiresAt;
    delete ret.__v;
    return ret;
  },
});

userSchema.virtual('fullName').get(function fullName() {
  return `${this.firstName} ${this.lastName}`;
});

export const User = mongoose.model('User', userSchema);
