import mongoose from 'mongoose';

const { Schema } = mongoose;

export const APPOINTMENT_STATUSES = ['booked', 'checked_in', 'completed', 'cancelled', 'no_show'];

const appointmentSchema = new Schema(
  {
    reference: { type: String, required: true, unique: true },
    clinic: { type: Schema.Types.ObjectId, ref: 'Clinic', required: true },
    patient: { type: Schema.Types.ObjectId, ref: 'Patient', required: true, index: true },
    practitioner: { type: Schema.Types.ObjectId, ref: 'Practitioner', required: true },
    slot: { type: Schema.Types.ObjectId, ref: 'Slot', required: true },
    startsAt: { type: Date, required: true },
    endsAt: { type: Date, required: true },
    status: { type: String, enum: APPOINTMENT_STATUSES, default: 'booked' },
    reason: String,
    feeCents: { type: Number, required: true },
    prepaidCents: { type: Number, default: 0 },
    reminderSentAt: Date,
    cancelledAt: Date,
    cancelledBy: { type: Schema.Types.ObjectId, ref: 'User' },
    cancellationReason: String,
    idempotencyKey: { type: String },
  },
  { timestamps: true },
);

appointmentSchema.index({ clinic: 1, startsAt: 1 });
appointmentSchema.index({ practitioner: 1, startsAt: 1 });
appointmentSchema.index({ idempotencyKey: 1 }, { unique: true, sparse: true });

export const Appointment = mongoose.model('Appointment', appointmentSchema);
