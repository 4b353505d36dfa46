import { Router } from "express";
import { z } from "zod";
import { asyncHandler } from "../middleware/asyncHandler";
import { validateBody } from "../middleware/validate";
import { WorkOrder } from "../models/WorkOrder";
import * as userService from "../services/userService";
import { pageParams } from "../utils/pagination";

/** Mounted with requireRole("owner") in app.ts. */
export const adminRouter = Router();

const STATUS_BUCKETS = ["estimate", "approved", "in_progress", "completed"] as const;

adminRouter.get(
  "/users",
  asyncHandler(async (req, res) => {
    const { limit, skip } = pageParams(req, 200);
    res.json(await userService.listShopUsers(req.user!.shopId, limit, skip));
  }),
);

adminRouter.patch(
  "/users/:id/role",
  validateBody(z.object({ role: z.enum(["manager", "technician", "frontdesk"]) }).strict()),
  asyncHandler(async (req, res) => {
    res.json(await userService.setRole(req.user!.shopId, req.params.id, req.body.role));
  }),
);

adminRouter.get(
  "/dashboard",
  asyncHandler(async (req, res) => {
    const counts: Record<string, number> = {};
    for (const status of STATUS_BUCKETS) {
      counts[status] = await WorkOrder.countDocuments({ shopId: req.user!.shopId, status });
    }
    res.json({ workOrders: counts });
  }),
);
