import { Schema, model, Types } from "mongoose";

export interface UserDoc {
  _id: Types.ObjectId;
  shopId: Types.ObjectId;
  email: string;
  name: string;
  phone?: string;
  passwordHash: string;
  role: "owner" | "manager" | "technician" | "frontdesk";
  active: boolean;
  resetToken?: string | null;
  resetExpires?: Date | null;
  lastLoginAt?: Date;
}

const userSchema = new Schema<UserDoc>(
  {
    shopId: { type: Schema.Types.ObjectId, ref: "Shop", required: true, index: true },
    email: { type: String, required: true, lowercase: true, trim: true, unique: true },
    name: { type: String, required: true, maxlength: 120 },
    phone: { type: String, maxlength: 32 },
    passwordHash: { type: String, required: true, select: false },
    role: { type: String, enum: ["owner", "manager", "technician", "frontdesk"], default: "technician" },
    active: { type: Boolean, default: true },
    resetToken: { type: String, index: true, sparse: true, select: false },
    resetExpires: { type: Date, select: false },
    lastLoginAt: Date,
  },
  { timestamps: true },
);

export const User = model<UserDoc>("User", userSchema);
