import { Schema, model, Types } from "mongoose";

export interface CustomerDoc {
  _id: Types.ObjectId;
  shopId: Types.ObjectId;
  name: string;
  email?: string;
  phone?: string;
  company?: string;
  fleetAccount: boolean;
  creditLimitCents: number;
  notes?: string;
}

const customerSchema = new Schema<CustomerDoc>(
  {
    shopId: { type: Schema.Types.ObjectId, ref: "Shop", required: true },
    name: { type: String, required: true, maxlength: 160 },
    email: { type: String, lowercase: true, trim: true },
    phone: String,
    company: String,
    fleetAccount: { type: Boolean, default: false },
    creditLimitCents: { type: Number, default: 0 },
    notes: { type: String, maxlength: 2000 },
  },
  { timestamps: true },
);
customerSchema.index({ shopId: 1, name: 1 });

export const Customer = model<CustomerDoc>("Customer", customerSchema);
