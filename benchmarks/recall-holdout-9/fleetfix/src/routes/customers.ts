import { Router } from "express";
import { z } from "zod";
import { asyncHandler } from "../middleware/asyncHandler";
import { validateBody } from "../middleware/validate";
import * as customerService from "../services/customerService";
import { pageParams } from "../utils/pagination";

export const customersRouter = Router();

const customerIn = z
  .object({
    name: z.string().min(1).max(160),
    email: z.string().email().optional(),
    phone: z.string().max(32).optional(),
    company: z.string().max(160).optional(),
  })
  .strict();

const customerPatch = z
  .object({
    name: z.string().min(1).max(160).optional(),
    email: z.string().email().optional(),
    phone: z.string().max(32).optional(),
    notes: z.string().max(2000).optional(),
  })
  .strict();

customersRouter.get(
  "/",
  asyncHandler(async (req, res) => {
    const { limit, skip } = pageParams(req);
    res.json(await customerService.searchCustomers(req.user!.shopId, req.query, limit, skip));
  }),
);

customersRouter.get(
  "/:id",
  asyncHandler(async (req, res) => {
    res.json(await customerService.getCustomer(req.user!.shopId, req.params.id));
  }),
);

customersRouter.post(
  "/",
  validateBody(customerIn),
  asyncHandler(async (req, res) => {
    res.status(201).json(await customerService.createCustomer(req.user!.shopId, req.body));
  }),
);

customersRouter.patch(
  "/:id",
  validateBody(customerPatch),
  asyncHandler(async (req, res) => {
    res.json(await customerService.updateCustomer(req.user!.shopId, req.params.id, req.body));
  }),
);

customersRouter.get(
  "/:id/vehicles",
  asyncHandler(async (req, res) => {
    res.json(await customerService.vehiclesOf(req.user!.shopId, req.params.id));
  }),
);
