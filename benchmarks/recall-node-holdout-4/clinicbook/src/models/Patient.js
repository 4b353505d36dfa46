import mongoose from 'mongoose';

const { Schema } = mongoose;

const documentSchema = new Schema(
  {
    kind: { type: String, enum: ['referral', 'lab_result', 'insurance_card', 'other'], default: 'other' },
    originalName: String,
    storedName: String,
    mimeType: String,
    sizeBytes: Number,
    uploadedBy: { type: Schema.Types.ObjectId, ref: 'User' },
    uploadedAt: { type: Date, default: Date.now },
  },
  { _id: true },
);

const patientSchema = new Schema(
  {
    clinic: { type: Schema.Types.ObjectId, ref: 'Clinic', required: true, index: true },
    user: { type: Schema.Types.ObjectId, ref: 'User', index: true },
    firstName: { type: String, required: true },
    lastName: { type: String, required: true },
    dateOfBirth: Date,
    email: String,
    phone: String,
    insurance: {
      payerId: String,
      memberId: String,
      groupNumber: String,
    },
    creditCents: { type: Number, default: 0 },
    notes: String,
    documents: [documentSchema],
    archived: { type: Boolean, default: false },
  },
  { timestamps: true },
);

patientSchema.index({ clinic: 1, lastName: 1, firstName: 1 });

export const Patient = mongoose.model('Patient', patientSchema);
