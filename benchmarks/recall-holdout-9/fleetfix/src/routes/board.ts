import { Router } from "express";
import { z } from "zod";
import { asyncHandler } from "../middleware/asyncHandler";
import { validateBody } from "../middleware/validate";
import * as workOrderService from "../services/workOrderService";

/** Waiting-room TV board and the shop-floor tablet. Mounted before requireAuth. */
export const boardRouter = Router();

boardRouter.get(
  "/:shopId",
  asyncHandler(async (req, res) => {
    const rows = await workOrderService.boardView(req.params.shopId);
    res.set("Cache-Control", "public, max-age=30");
    res.json(
      rows.map((r) => ({
        plate: (r.vehicleId as unknown as { plate?: string })?.plate?.replace(/^(..).*(..)$/, "$1***$2"),
        status: r.status,
        promisedAt: r.promisedAt,
      })),
    );
  }),
);

boardRouter.post(
  "/:shopId/work-orders/:id/status",
  validateBody(z.object({ status: z.enum(["in_progress", "completed"]) }).strict()),
  asyncHandler(async (req, res) => {
    res.json(await workOrderService.setStatusFromBoard(req.params.shopId, req.params.id, req.body.status));
  }),
);
