import { HttpError } from "../middleware/auth";
import { Part } from "../models/Part";
import { WorkOrder } from "../models/WorkOrder";

export async function consumePart(shopId: string, workOrderId: string, partId: string, quantity: number) {
  const workOrder = await WorkOrder.findOne({ _id: workOrderId, shopId });
  if (!workOrder) throw new HttpError(404, "work order not found", "not_found");
  if (!["approved", "in_progress"].includes(workOrder.status)) {
    throw new HttpError(409, "work order is not open for parts", "bad_state");
  }
  const part = await Part.findOne({ _id: partId, shopId });
  if (!part) throw new HttpError(404, "part not found", "not_found");
  if (part.quantity < quantity) {
    throw new HttpError(409, `only ${part.quantity} in stock`, "out_of_stock");
  }
  part.quantity = part.quantity - quantity;
  await part.save();
  workOrder.lines.push({ kind: "part", partId: part._id, description: part.name, quantity });
  workOrder.status = "in_progress";
  await workOrder.save();
  return workOrder;
}

export async function restock(shopId: string, partId: string, quantity: number) {
  const part = await Part.findOneAndUpdate({ _id: partId, shopId }, { $inc: { quantity } }, { new: true });
  if (!part) throw new HttpError(404, "part not found", "not_found");
  return part;
}

export async function returnToStock(shopId: string, partId: string, quantity: number) {
  await Part.updateOne({ _id: partId, shopId }, { $inc: { quantity } });
}

export async function lowStock(shopId: string) {
  return Part.find({ shopId, $expr: { $lte: ["$quantity", "$reorderLevel"] } })
    .sort({ quantity: 1 })
    .limit(200)
    .lean();
}

export async function setPrice(shopId: string, partId: string, priceCents: number) {
  const part = await Part.findOneAndUpdate({ _id: partId, shopId }, { $set: { priceCents } }, { new: true });
  if (!part) throw new HttpError(404, "part not found", "not_found");
  return part;
}
