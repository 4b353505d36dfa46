import { Schema, model, Types } from "mongoose";

export interface ShopDoc {
  _id: Types.ObjectId;
  name: string;
  labourRate: number;
  taxRate: number;
  currency: string;
  invoiceSeq: number;
}

const shopSchema = new Schema<ShopDoc>(
  {
    name: { type: String, required: true },
    labourRate: { type: Number, required: true },
    taxRate: { type: Number, required: true, default: 0.2 },
    currency: { type: String, default: "GBP" },
    invoiceSeq: { type: Number, default: 0 },
  },
  { timestamps: true },
);

export const Shop = model<ShopDoc>("Shop", shopSchema);
