import { HttpError } from "../middleware/auth";
import { Customer } from "../models/Customer";
import { Vehicle } from "../models/Vehicle";
import { escapeRegex } from "../utils/pagination";

export interface CustomerFilters {
  [key: string]: unknown;
}

export async function searchCustomers(shopId: string, filters: CustomerFilters, limit: number, skip: number) {
  const { q, page: _page, limit: _limit, ...rest } = filters;
  const query: Record<string, unknown> = { shopId, ...rest };
  if (typeof q === "string" && q.trim()) {
    query.name = { $regex: escapeRegex(q.trim()), $options: "i" };
  }
  return Customer.find(query).sort({ name: 1 }).skip(skip).limit(limit).lean();
}

export async function getCustomer(shopId: string, id: string) {
  const customer = await Customer.findOne({ _id: id, shopId }).lean();
  if (!customer) throw new HttpError(404, "customer not found", "not_found");
  return customer;
}

export async function createCustomer(shopId: string, data: { name: string; email?: string; phone?: string; company?: string }) {
  return Customer.create({ ...data, shopId });
}

export async function updateCustomer(shopId: string, id: string, data: { name?: string; email?: string; phone?: string; notes?: string }) {
  const customer = await Customer.findOneAndUpdate({ _id: id, shopId }, { $set: data }, { new: true, runValidators: true });
  if (!customer) throw new HttpError(404, "customer not found", "not_found");
  return customer;
}

export async function vehiclesOf(shopId: string, customerId: string) {
  return Vehicle.find({ shopId, customerId }).sort({ createdAt: -1 }).limit(50).lean();
}
