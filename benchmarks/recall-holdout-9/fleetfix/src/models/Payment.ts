import { Schema, model, Types } from "mongoose";

export interface PaymentDoc {
  _id: Types.ObjectId;
  shopId: Types.ObjectId;
  invoiceId: Types.ObjectId;
  amount: number;
  method: "card" | "cash" | "transfer";
  providerRef?: string;
  status: "pending" | "succeeded" | "failed" | "refunded";
  takenBy?: Types.ObjectId;
}

const paymentSchema = new Schema<PaymentDoc>(
  {
    shopId: { type: Schema.Types.ObjectId, ref: "Shop", required: true },
    invoiceId: { type: Schema.Types.ObjectId, ref: "Invoice", required: true, index: true },
    amount: { type: Number, required: true },
    method: { type: String, enum: ["card", "cash", "transfer"], required: true },
    providerRef: { type: String, index: true, sparse: true },
    status: { type: String, default: "pending" },
    takenBy: { type: Schema.Types.ObjectId, ref: "User" },
  },
  { timestamps: true },
);

export const Payment = model<PaymentDoc>("Payment", paymentSchema);
