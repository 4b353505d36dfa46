import { payrail } from "../clients/payments";
import { HttpError } from "../middleware/auth";
import { Invoice } from "../models/Invoice";
import { Payment } from "../models/Payment";
import { WebhookEvent } from "../models/WebhookEvent";
import { WorkOrder } from "../models/WorkOrder";
import { logger } from "../logger";
import { toCents } from "../utils/money";

export async function payByCard(shopId: string, invoiceId: string, paymentMethod: string, userId: string) {
  const invoice = await Invoice.findOne({ _id: invoiceId, shopId, status: "open" });
  if (!invoice) throw new HttpError(404, "open invoice not found", "not_found");
  const dueCents = toCents(invoice.total) - toCents(invoice.amountPaid);
  if (dueCents <= 0) throw new HttpError(409, "invoice already settled", "settled");
  const charge = await payrail().charge(dueCents, "gbp", paymentMethod, `invoice:${invoice.number}`);
  const payment = await Payment.create({
    shopId,
    invoiceId: invoice._id,
    amount: dueCents / 100,
    method: "card",
    providerRef: charge.id,
    status: charge.status,
    takenBy: userId,
  });
  if (charge.status === "succeeded") {
    await Invoice.updateOne({ _id: invoice._id }, { $inc: { amountPaid: dueCents / 100 }, $set: { status: "paid" } });
  }
  return { paymentId: payment.id, status: charge.status };
}

export async function recordOfflinePayment(shopId: string, invoiceId: string, amount: number, method: "cash" | "transfer", userId: string) {
  const invoice = await Invoice.findOne({ _id: invoiceId, shopId, status: "open" });
  if (!invoice) throw new HttpError(404, "open invoice not found", "not_found");
  const payment = await Payment.create({ shopId, invoiceId: invoice._id, amount, method, status: "succeeded", takenBy: userId });
  invoice.amountPaid = invoice.amountPaid + amount;
  if (toCents(invoice.amountPaid) >= toCents(invoice.total)) invoice.status = "paid";
  await invoice.save();
  if (invoice.status === "paid") {
    await WorkOrder.updateOne({ _id: invoice.workOrderId }, { $set: { status: "invoiced" } });
  }
  return { paymentId: payment.id, invoiceStatus: invoice.status };
}

export async function refundPayment(shopId: string, paymentId: string, amountCents: number) {
  const candidate = await Payment.findOne({ _id: paymentId, shopId, status: "succeeded", method: "card" }).lean();
  if (!candidate || !candidate.providerRef) throw new HttpError(404, "refundable card payment not found", "not_found");
  if (amountCents > toCents(candidate.amount)) throw new HttpError(422, "refund exceeds payment", "too_much");
  const payment = await Payment.findOneAndUpdate(
    { _id: candidate._id, status: "succeeded" },
    { $set: { status: "refunded" } },
    { new: true },
  );
  if (!payment || !payment.providerRef) throw new HttpError(409, "payment already refunded", "conflict");
  const refund = await payrail().refund(payment.providerRef, amountCents, `refund-${payment.id}`);
  await Invoice.updateOne({ _id: payment.invoiceId }, { $inc: { amountPaid: -amountCents / 100 }, $set: { status: "open" } });
  return { refundId: refund.id };
}

export async function applyWebhookEvent(event: { id: string; type: string; data: { chargeId: string } }) {
  try {
    await WebhookEvent.create({ _id: event.id, type: event.type });
  } catch (err: unknown) {
    if ((err as { code?: number }).code === 11000) {
      logger.info({ eventId: event.id }, "duplicate webhook ignored");
      return;
    }
    throw err;
  }
  const payment = await Payment.findOne({ providerRef: event.data.chargeId });
  if (!payment) return;
  if (event.type === "charge.succeeded" && payment.status === "pending") {
    payment.status = "succeeded";
    await payment.save();
    const invoice = await Invoice.findOneAndUpdate(
      { _id: payment.invoiceId },
      { $inc: { amountPaid: payment.amount } },
      { new: true },
    );
    if (invoice && toCents(invoice.amountPaid) >= toCents(invoice.total)) {
      await Invoice.updateOne({ _id: invoice._id, status: "open" }, { $set: { status: "paid" } });
    }
  } else if (event.type === "charge.failed") {
    payment.status = "failed";
    await payment.save();
  }
}
