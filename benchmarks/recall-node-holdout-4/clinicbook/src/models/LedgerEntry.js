import mongoose from 'mongoose';

const { Schema } = mongoose;

const ledgerEntrySchema = new Schema(
  {
    clinic: { type: Schema.Types.ObjectId, ref: 'Clinic', required: true },
    patient: { type: Schema.Types.ObjectId, ref: 'Patient', required: true, index: true },
    appointment: { type: Schema.Types.ObjectId, ref: 'Appointment' },
    kind: { type: String, enum: ['prepayment', 'refund', 'credit_adjustment', 'charge'], required: true },
    amountCents: { type: Number, required: true },
    memo: String,
    createdBy: { type: Schema.Types.ObjectId, ref: 'User' },
  },
  { timestamps: true },
);

export const LedgerEntry = mongoose.model('LedgerEntry', ledgerEntrySchema);
