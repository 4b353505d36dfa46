import { Schema, model, Types } from "mongoose";

export type WorkOrderStatus = "estimate" | "approved" | "in_progress" | "completed" | "invoiced" | "cancelled";

export interface WorkOrderLine {
  kind: "part" | "labour";
  partId?: Types.ObjectId;
  description: string;
  quantity: number;
  hours?: number;
}

export interface WorkOrderDoc {
  _id: Types.ObjectId;
  shopId: Types.ObjectId;
  customerId: Types.ObjectId;
  vehicleId: Types.ObjectId;
  technicianId?: Types.ObjectId;
  status: WorkOrderStatus;
  complaint: string;
  notes?: string;
  promisedAt?: Date;
  lines: WorkOrderLine[];
  approvalCode?: string;
  approvedAt?: Date;
  createdAt?: Date;
  updatedAt?: Date;
}

const lineSchema = new Schema<WorkOrderLine>(
  {
    kind: { type: String, enum: ["part", "labour"], required: true },
    partId: { type: Schema.Types.ObjectId, ref: "Part" },
    description: { type: String, required: true },
    quantity: { type: Number, default: 1, min: 1 },
    hours: Number,
  },
  { _id: true },
);

const workOrderSchema = new Schema<WorkOrderDoc>(
  {
    shopId: { type: Schema.Types.ObjectId, ref: "Shop", required: true },
    customerId: { type: Schema.Types.ObjectId, ref: "Customer", required: true },
    vehicleId: { type: Schema.Types.ObjectId, ref: "Vehicle", required: true },
    technicianId: { type: Schema.Types.ObjectId, ref: "User" },
    status: { type: String, default: "estimate" },
    complaint: { type: String, required: true, maxlength: 2000 },
    notes: { type: String, maxlength: 4000 },
    promisedAt: Date,
    lines: { type: [lineSchema], default: [] },
    approvalCode: { type: String, index: true, sparse: true },
    approvedAt: Date,
  },
  { timestamps: true },
);
workOrderSchema.index({ shopId: 1, status: 1, createdAt: -1 });

export const WorkOrder = model<WorkOrderDoc>("WorkOrder", workOrderSchema);
