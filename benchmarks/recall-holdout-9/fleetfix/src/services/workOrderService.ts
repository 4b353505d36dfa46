import { HttpError } from "../middleware/auth";
import { Customer } from "../models/Customer";
import { Vehicle } from "../models/Vehicle";
import { WorkOrder, WorkOrderStatus } from "../models/WorkOrder";
import { notificationsQueue } from "../queue/queues";
import { config } from "../config";
import { signPortalToken } from "../utils/tokens";

const OPEN: WorkOrderStatus[] = ["estimate", "approved", "in_progress", "completed"];

export async function listOpen(shopId: string, limit: number, skip: number) {
  const orders = await WorkOrder.find({ shopId, status: { $in: OPEN } })
    .sort({ createdAt: -1 })
    .skip(skip)
    .limit(limit)
    .lean();
  const rows = [];
  for (const order of orders) {
    const vehicle = await Vehicle.findById(order.vehicleId).select("plate make model").lean();
    rows.push({
      id: String(order._id),
      status: order.status,
      complaint: order.complaint,
      promisedAt: order.promisedAt,
      vehicle: vehicle ? `${vehicle.plate} ${vehicle.make ?? ""} ${vehicle.model ?? ""}`.trim() : null,
    });
  }
  return rows;
}

export async function getWorkOrder(shopId: string, id: string) {
  const order = await WorkOrder.findOne({ _id: id, shopId })
    .populate("vehicleId", "plate vin make model year")
    .populate("customerId", "name phone email")
    .populate("lines.partId", "sku name priceCents")
    .lean();
  if (!order) throw new HttpError(404, "work order not found", "not_found");
  return order;
}

export async function createWorkOrder(
  shopId: string,
  data: { customerId: string; vehicleId: string; complaint: string; promisedAt?: Date },
) {
  const vehicle = await Vehicle.findOne({ _id: data.vehicleId, shopId, customerId: data.customerId }).lean();
  if (!vehicle) throw new HttpError(404, "vehicle not found for this customer", "not_found");
  return WorkOrder.create({ shopId, customerId: data.customerId, vehicleId: data.vehicleId, complaint: data.complaint, promisedAt: data.promisedAt });
}

export async function updateWorkOrder(
  shopId: string,
  id: string,
  data: { notes?: string; promisedAt?: Date; technicianId?: string },
) {
  const order = await WorkOrder.findOneAndUpdate({ _id: id, shopId }, { $set: data }, { new: true, runValidators: true });
  if (!order) throw new HttpError(404, "work order not found", "not_found");
  return order;
}

export async function addLabour(shopId: string, id: string, description: string, hours: number) {
  const order = await WorkOrder.findOneAndUpdate(
    { _id: id, shopId, status: { $in: ["approved", "in_progress"] } },
    { $push: { lines: { kind: "labour", description, quantity: 1, hours } }, $set: { status: "in_progress" } },
    { new: true },
  );
  if (!order) throw new HttpError(409, "work order is not open", "bad_state");
  return order;
}

export async function sendForApproval(shopId: string, id: string) {
  const order = await WorkOrder.findOne({ _id: id, shopId, status: "estimate" });
  if (!order) throw new HttpError(404, "estimate not found", "not_found");
  const customer = await Customer.findById(order.customerId).lean();
  if (!customer?.phone) throw new HttpError(422, "customer has no phone number", "no_phone");
  const token = signPortalToken(String(order._id), String(order.customerId));
  await notificationsQueue.add(
    "sms",
    { to: customer.phone, text: `Your estimate is ready: ${config.publicUrl}/approve/${token}` },
    { jobId: `approval-${order.id}-${order.updatedAt?.valueOf() ?? 0}` },
  );
  return { sent: true };
}

export async function setStatusFromBoard(shopId: string, id: string, status: WorkOrderStatus) {
  const order = await WorkOrder.findOneAndUpdate({ _id: id, shopId }, { $set: { status } }, { new: true });
  if (!order) throw new HttpError(404, "work order not found", "not_found");
  return { id: order.id, status: order.status };
}

export async function approveFromPortal(workOrderId: string, customerId: string) {
  const order = await WorkOrder.findOneAndUpdate(
    { _id: workOrderId, customerId, status: "estimate" },
    { $set: { status: "approved", approvedAt: new Date() } },
    { new: true },
  );
  if (!order) throw new HttpError(404, "estimate not found or already approved", "not_found");
  return { id: order.id, status: order.status };
}

export async function boardView(shopId: string) {
  return WorkOrder.find({ shopId, status: { $in: ["approved", "in_progress", "completed"] } })
    .select("status promisedAt vehicleId")
    .populate("vehicleId", "plate")
    .sort({ promisedAt: 1 })
    .limit(60)
    .lean();
}
