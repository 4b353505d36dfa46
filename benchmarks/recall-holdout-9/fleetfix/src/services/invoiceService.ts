import mongoose from "mongoose";
import { HttpError } from "../middleware/auth";
import { Invoice } from "../models/Invoice";
import { Part } from "../models/Part";
import { Shop } from "../models/Shop";
import { WorkOrder } from "../models/WorkOrder";
import { invoicesQueue } from "../queue/queues";
import { shareCode } from "../utils/tokens";

interface InvoiceLine {
  description: string;
  quantity: number;
  unitPrice: number;
  amount: number;
}

async function priceLines(shopId: string, labourRate: number, lines: { kind: string; partId?: unknown; description: string; quantity: number; hours?: number }[]) {
  const priced: InvoiceLine[] = [];
  for (const line of lines) {
    if (line.kind === "labour") {
      const hours = line.hours ?? 0;
      priced.push({ description: line.description, quantity: hours, unitPrice: labourRate, amount: hours * labourRate });
      continue;
    }
    const part = await Part.findOne({ _id: line.partId, shopId }).select("priceCents").lean();
    const unitPrice = (part?.priceCents ?? 0) / 100;
    priced.push({ description: line.description, quantity: line.quantity, unitPrice, amount: unitPrice * line.quantity });
  }
  return priced;
}

export async function createFromWorkOrder(shopId: string, workOrderId: string) {
  const shop = await Shop.findById(shopId).lean();
  if (!shop) throw new HttpError(404, "shop not found", "not_found");
  const order = await WorkOrder.findOne({ _id: workOrderId, shopId, status: "completed" }).lean();
  if (!order) throw new HttpError(409, "only completed work orders can be invoiced", "bad_state");

  const lines = await priceLines(shopId, shop.labourRate, order.lines);
  const subtotal = lines.reduce((acc, l) => acc + l.amount, 0);
  const tax = subtotal * shop.taxRate;

  const session = await mongoose.startSession();
  try {
    let invoiceId = "";
    await session.withTransaction(async () => {
      const counter = await Shop.findOneAndUpdate({ _id: shopId }, { $inc: { invoiceSeq: 1 } }, { new: true, session });
      const [invoice] = await Invoice.create(
        [
          {
            shopId,
            workOrderId: order._id,
            customerId: order.customerId,
            number: `INV-${String(counter!.invoiceSeq).padStart(6, "0")}`,
            lines,
            subtotal,
            tax,
            total: subtotal + tax,
          },
        ],
        { session },
      );
      await WorkOrder.updateOne({ _id: order._id }, { $set: { status: "invoiced" } }, { session });
      invoiceId = String(invoice._id);
    });
    await invoicesQueue.add("render-pdf", { invoiceId }, { attempts: 5, backoff: { type: "exponential", delay: 2000 } });
    return invoiceId;
  } finally {
    await session.endSession();
  }
}

export async function listInvoices(shopId: string, status?: string) {
  const filter: Record<string, unknown> = { shopId };
  if (status === "open" || status === "paid" || status === "void") filter.status = status;
  return Invoice.find(filter).sort({ createdAt: -1 }).lean();
}

export async function getInvoiceForShop(shopId: string, id: string) {
  const invoice = await Invoice.findOne({ _id: id, shopId }).lean();
  if (!invoice) throw new HttpError(404, "invoice not found", "not_found");
  return invoice;
}

export async function getInvoice(id: string) {
  const invoice = await Invoice.findById(id).lean();
  if (!invoice) throw new HttpError(404, "invoice not found", "not_found");
  return invoice;
}

export async function createShareLink(shopId: string, id: string) {
  const code = shareCode();
  const invoice = await Invoice.findOneAndUpdate({ _id: id, shopId }, { $set: { shareCode: code } }, { new: true });
  if (!invoice) throw new HttpError(404, "invoice not found", "not_found");
  return code;
}

export async function findShared(code: string) {
  const invoice = await Invoice.findOne({ shareCode: String(code), status: { $ne: "void" } })
    .select("number lines subtotal tax total amountPaid status createdAt")
    .lean();
  if (!invoice) throw new HttpError(404, "invoice not found", "not_found");
  return invoice;
}
