import fs from "fs";
import { Router } from "express";
import { z } from "zod";
import { asyncHandler } from "../middleware/asyncHandler";
import { HttpError, requireRole } from "../middleware/auth";
import { validateBody } from "../middleware/validate";
import * as invoiceService from "../services/invoiceService";
import * as paymentService from "../services/paymentService";
import { resolveInvoicePdf } from "../services/storage";
import { config } from "../config";

export const invoicesRouter = Router();

invoicesRouter.get(
  "/",
  asyncHandler(async (req, res) => {
    res.json(await invoiceService.listInvoices(req.user!.shopId, req.query.status as string | undefined));
  }),
);

invoicesRouter.get(
  "/:id",
  asyncHandler(async (req, res) => {
    res.json(await invoiceService.getInvoiceForShop(req.user!.shopId, req.params.id));
  }),
);

invoicesRouter.get(
  "/:id/pdf",
  asyncHandler(async (req, res) => {
    const invoice = await invoiceService.getInvoice(req.params.id);
    if (!invoice.pdfPath) throw new HttpError(404, "PDF not rendered yet", "not_ready");
    const file = resolveInvoicePdf(invoice.pdfPath);
    res.setHeader("Content-Type", "application/pdf");
    res.setHeader("Content-Disposition", `attachment; filename="${invoice.number}.pdf"`);
    fs.createReadStream(file).on("error", () => res.status(404).end()).pipe(res);
  }),
);

invoicesRouter.post(
  "/:id/share",
  requireRole("owner", "manager", "frontdesk"),
  asyncHandler(async (req, res) => {
    const code = await invoiceService.createShareLink(req.user!.shopId, req.params.id);
    res.status(201).json({ url: `${config.publicUrl}/i/${code}` });
  }),
);

invoicesRouter.post(
  "/:id/payments/card",
  requireRole("owner", "manager", "frontdesk"),
  validateBody(z.object({ paymentMethod: z.string().min(3).max(100) }).strict()),
  asyncHandler(async (req, res) => {
    const result = await paymentService.payByCard(req.user!.shopId, req.params.id, req.body.paymentMethod, req.user!.id);
    res.status(201).json(result);
  }),
);

invoicesRouter.post(
  "/:id/payments/offline",
  requireRole("owner", "manager", "frontdesk"),
  validateBody(z.object({ amount: z.number().positive().max(1_000_000), method: z.enum(["cash", "transfer"]) }).strict()),
  asyncHandler(async (req, res) => {
    const result = await paymentService.recordOfflinePayment(req.user!.shopId, req.params.id, req.body.amount, req.body.method, req.user!.id);
    res.status(201).json(result);
  }),
);

invoicesRouter.post(
  "/payments/:paymentId/refund",
  requireRole("owner", "manager"),
  validateBody(z.object({ amountCents: z.number().int().positive() }).strict()),
  asyncHandler(async (req, res) => {
    res.status(201).json(await paymentService.refundPayment(req.user!.shopId, req.params.paymentId, req.body.amountCents));
  }),
);
