import { Schema, model, Types } from "mongoose";

export interface InvoiceDoc {
  _id: Types.ObjectId;
  shopId: Types.ObjectId;
  workOrderId: Types.ObjectId;
  customerId: Types.ObjectId;
  number: string;
  status: "open" | "paid" | "void";
  lines: { description: string; quantity: number; unitPrice: number; amount: number }[];
  subtotal: number;
  tax: number;
  total: number;
  amountPaid: number;
  shareCode?: string;
  pdfPath?: string;
}

const invoiceSchema = new Schema<InvoiceDoc>(
  {
    shopId: { type: Schema.Types.ObjectId, ref: "Shop", required: true },
    workOrderId: { type: Schema.Types.ObjectId, ref: "WorkOrder", required: true, unique: true },
    customerId: { type: Schema.Types.ObjectId, ref: "Customer", required: true },
    number: { type: String, required: true },
    status: { type: String, default: "open" },
    lines: [{ description: String, quantity: Number, unitPrice: Number, amount: Number }],
    subtotal: Number,
    tax: Number,
    total: Number,
    amountPaid: { type: Number, default: 0 },
    shareCode: { type: String, index: true, sparse: true },
    pdfPath: String,
  },
  { timestamps: true },
);
invoiceSchema.index({ shopId: 1, status: 1, createdAt: -1 });
invoiceSchema.index({ shopId: 1, number: 1 }, { unique: true });

export const Invoice = model<InvoiceDoc>("Invoice", invoiceSchema);
