import { Router } from "express";
import { z } from "zod";
import { asyncHandler } from "../middleware/asyncHandler";
import { requireRole } from "../middleware/auth";
import { validateBody } from "../middleware/validate";
import { Part } from "../models/Part";
import * as inventoryService from "../services/inventoryService";
import { escapeRegex, pageParams } from "../utils/pagination";

export const partsRouter = Router();

const partIn = z
  .object({
    sku: z.string().min(1).max(64),
    name: z.string().min(1).max(200),
    priceCents: z.number().int().min(0),
    costCents: z.number().int().min(0),
    quantity: z.number().int().min(0).default(0),
    reorderLevel: z.number().int().min(0).default(2),
  })
  .strict();

partsRouter.get(
  "/",
  asyncHandler(async (req, res) => {
    const { limit, skip } = pageParams(req);
    const filter: Record<string, unknown> = { shopId: req.user!.shopId };
    if (typeof req.query.q === "string" && req.query.q) {
      filter.name = new RegExp(escapeRegex(req.query.q), "i");
    }
    res.json(await Part.find(filter).sort({ name: 1 }).skip(skip).limit(limit).lean());
  }),
);

partsRouter.get(
  "/low-stock",
  asyncHandler(async (req, res) => {
    res.json(await inventoryService.lowStock(req.user!.shopId));
  }),
);

partsRouter.post(
  "/",
  requireRole("owner", "manager"),
  validateBody(partIn),
  asyncHandler(async (req, res) => {
    res.status(201).json(await Part.create({ ...req.body, shopId: req.user!.shopId }));
  }),
);

partsRouter.patch(
  "/:id/price",
  validateBody(z.object({ priceCents: z.number().int().min(0) }).strict()),
  asyncHandler(async (req, res) => {
    res.json(await inventoryService.setPrice(req.user!.shopId, req.params.id, req.body.priceCents));
  }),
);

partsRouter.post(
  "/:id/restock",
  requireRole("owner", "manager"),
  validateBody(z.object({ quantity: z.number().int().min(1).max(10_000) }).strict()),
  asyncHandler(async (req, res) => {
    res.json(await inventoryService.restock(req.user!.shopId, req.params.id, req.body.quantity));
  }),
);
