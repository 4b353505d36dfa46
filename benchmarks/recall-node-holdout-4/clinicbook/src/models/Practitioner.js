import mongoose from 'mongoose';

const { Schema } = mongoose;

const practitionerSchema = new Schema(
  {
    clinic: { type: Schema.Types.ObjectId, ref: 'Clinic', required: true, index: true },
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    displayName: { type: String, required: true },
    specialty: String,
    slotMinutes: { type: Number, default: 30 },
    feeCents: { type: Number, required: true },
    bio: String,
    active: { type: Boolean, default: true },
  },
  { timestamps: true },
);

export const Practitioner = mongoose.model('Practitioner', practitionerSchema);
