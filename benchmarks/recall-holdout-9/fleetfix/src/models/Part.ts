import { Schema, model, Types } from "mongoose";

export interface PartDoc {
  _id: Types.ObjectId;
  shopId: Types.ObjectId;
  sku: string;
  name: string;
  priceCents: number;
  costCents: number;
  quantity: number;
  reorderLevel: number;
}

const partSchema = new Schema<PartDoc>(
  {
    shopId: { type: Schema.Types.ObjectId, ref: "Shop", required: true },
    sku: { type: String, required: true },
    name: { type: String, required: true },
    priceCents: { type: Number, required: true, min: 0 },
    costCents: { type: Number, required: true, min: 0 },
    quantity: { type: Number, required: true, min: 0, default: 0 },
    reorderLevel: { type: Number, default: 2 },
  },
  { timestamps: true },
);
partSchema.index({ shopId: 1, sku: 1 }, { unique: true });

export const Part = model<PartDoc>("Part", partSchema);
