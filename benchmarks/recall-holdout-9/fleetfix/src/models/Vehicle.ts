import { Schema, model, Types } from "mongoose";

export interface VehicleDoc {
  _id: Types.ObjectId;
  shopId: Types.ObjectId;
  customerId: Types.ObjectId;
  vin: string;
  plate: string;
  make?: string;
  model?: string;
  year?: number;
  mileage?: number;
  photos: string[];
}

const vehicleSchema = new Schema<VehicleDoc>(
  {
    shopId: { type: Schema.Types.ObjectId, ref: "Shop", required: true },
    customerId: { type: Schema.Types.ObjectId, ref: "Customer", required: true },
    vin: { type: String, required: true, uppercase: true, minlength: 17, maxlength: 17 },
    plate: { type: String, required: true, uppercase: true },
    make: String,
    model: String,
    year: Number,
    mileage: Number,
    photos: { type: [String], default: [] },
  },
  { timestamps: true },
);
vehicleSchema.index({ shopId: 1, plate: 1 });
vehicleSchema.index({ shopId: 1, customerId: 1 });

export const Vehicle = model<VehicleDoc>("Vehicle", vehicleSchema);
