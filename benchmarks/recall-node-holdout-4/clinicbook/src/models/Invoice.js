import mongoose from 'mongoose';

const { Schema } = mongoose;

const lineItemSchema = new Schema(
  {
    description: { type: String, required: true },
    code: String,
    quantity: { type: Number, default: 1, min: 1 },
    unitPrice: { type: Number, required: true },
  },
  { _id: false },
);

const invoiceSchema = new Schema(
  {
    number: { type: String, required: true, unique: true },
    clinic: { type: Schema.Types.ObjectId, ref: 'Clinic', required: true, index: true },
    patient: { type: Schema.Types.ObjectId, ref: 'Patient', required: true, index: true },
    appointment: { type: Schema.Types.ObjectId, ref: 'Appointment' },
    lineItems: [lineItemSchema],
    subtotal: Number,
    tax: Number,
    total: Number,
    currency: { type: String, default: 'USD' },
    status: { type: String, enum: ['draft', 'issued', 'paid', 'void'], default: 'draft' },
    externalPaymentId: String,
    paidAt: Date,
  },
  { timestamps: true },
);

invoiceSchema.index(
  { appointment: 1 },
  { unique: true, partialFilterExpression: { status: { $in: ['draft', 'issued', 'paid'] } } },
);

export const Invoice = mongoose.model('Invoice', invoiceSchema);
