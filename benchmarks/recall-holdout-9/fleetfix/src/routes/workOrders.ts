import { Router } from "express";
import { z } from "zod";
import { asyncHandler } from "../middleware/asyncHandler";
import { requireRole } from "../middleware/auth";
import { validateBody } from "../middleware/validate";
import * as inventoryService from "../services/inventoryService";
import * as invoiceService from "../services/invoiceService";
import * as workOrderService from "../services/workOrderService";
import { pageParams } from "../utils/pagination";

export const workOrdersRouter = Router();

const objectId = z.string().regex(/^[a-f0-9]{24}$/);

workOrdersRouter.get(
  "/",
  asyncHandler(async (req, res) => {
    const { limit, skip } = pageParams(req, 100);
    res.json(await workOrderService.listOpen(req.user!.shopId, limit, skip));
  }),
);

workOrdersRouter.get(
  "/:id",
  asyncHandler(async (req, res) => {
    res.json(await workOrderService.getWorkOrder(req.user!.shopId, req.params.id));
  }),
);

workOrdersRouter.post(
  "/",
  validateBody(
    z.object({ customerId: objectId, vehicleId: objectId, complaint: z.string().min(3).max(2000), promisedAt: z.coerce.date().optional() }).strict(),
  ),
  asyncHandler(async (req, res) => {
    res.status(201).json(await workOrderService.createWorkOrder(req.user!.shopId, req.body));
  }),
);

workOrdersRouter.patch(
  "/:id",
  validateBody(
    z.object({ notes: z.string().max(4000).optional(), promisedAt: z.coerce.date().optional(), technicianId: objectId.optional() }).strict(),
  ),
  asyncHandler(async (req, res) => {
    res.json(await workOrderService.updateWorkOrder(req.user!.shopId, req.params.id, req.body));
  }),
);

workOrdersRouter.post(
  "/:id/parts",
  validateBody(z.object({ partId: objectId, quantity: z.number().int().min(1).max(50) }).strict()),
  asyncHandler(async (req, res) => {
    const order = await inventoryService.consumePart(req.user!.shopId, req.params.id, req.body.partId, req.body.quantity);
    res.status(201).json(order);
  }),
);

workOrdersRouter.post(
  "/:id/labour",
  validateBody(z.object({ description: z.string().min(1).max(300), hours: z.number().min(0.1).max(40) }).strict()),
  asyncHandler(async (req, res) => {
    res.status(201).json(await workOrderService.addLabour(req.user!.shopId, req.params.id, req.body.description, req.body.hours));
  }),
);

workOrdersRouter.post(
  "/:id/send-approval",
  requireRole("owner", "manager", "frontdesk"),
  asyncHandler(async (req, res) => {
    res.json(await workOrderService.sendForApproval(req.user!.shopId, req.params.id));
  }),
);

workOrdersRouter.post(
  "/:id/invoice",
  requireRole("owner", "manager", "frontdesk"),
  asyncHandler(async (req, res) => {
    const invoiceId = await invoiceService.createFromWorkOrder(req.user!.shopId, req.params.id);
    res.status(201).json({ invoiceId });
  }),
);
