import { Router } from "express";
import { asyncHandler } from "../middleware/asyncHandler";
import { HttpError } from "../middleware/auth";
import { portalLimiter } from "../middleware/rateLimit";
import { WorkOrder } from "../models/WorkOrder";
import * as invoiceService from "../services/invoiceService";
import * as workOrderService from "../services/workOrderService";
import { readPortalToken } from "../utils/tokens";

/** Customer-facing pages reached from SMS links; no staff login. */
export const portalRouter = Router();

portalRouter.use(portalLimiter);

function portalClaims(token: string) {
  try {
    return readPortalToken(token);
  } catch {
    throw new HttpError(401, "invalid link", "invalid_link");
  }
}

portalRouter.get(
  "/estimates/:token",
  asyncHandler(async (req, res) => {
    const claims = portalClaims(req.params.token);
    const order = await WorkOrder.findOne({ _id: claims.wo, customerId: claims.c })
      .select("status complaint lines promisedAt")
      .populate("lines.partId", "name priceCents")
      .lean();
    if (!order) throw new HttpError(404, "estimate not found", "not_found");
    res.json(order);
  }),
);

portalRouter.post(
  "/estimates/:token/approve",
  asyncHandler(async (req, res) => {
    const claims = portalClaims(req.params.token);
    res.json(await workOrderService.approveFromPortal(claims.wo, claims.c));
  }),
);

portalRouter.get(
  "/invoices/:code",
  asyncHandler(async (req, res) => {
    res.json(await invoiceService.findShared(req.params.code));
  }),
);
