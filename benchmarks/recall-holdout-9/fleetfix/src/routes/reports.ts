import { Router } from "express";
import mongoose from "mongoose";
import { asyncHandler } from "../middleware/asyncHandler";
import { HttpError } from "../middleware/auth";
import { Invoice } from "../models/Invoice";

export const reportsRouter = Router();

reportsRouter.get(
  "/revenue",
  asyncHandler(async (req, res) => {
    const from = new Date(String(req.query.from));
    const to = new Date(String(req.query.to));
    if (Number.isNaN(from.valueOf()) || Number.isNaN(to.valueOf()) || to <= from) {
      throw new HttpError(422, "from/to must be dates, from < to", "validation");
    }
    const rows = await Invoice.aggregate([
      { $match: { shopId: new mongoose.Types.ObjectId(req.user!.shopId), status: "paid", createdAt: { $gte: from, $lt: to } } },
      { $group: { _id: { $dateToString: { format: "%Y-%m", date: "$createdAt" } }, total: { $sum: "$total" }, count: { $sum: 1 } } },
      { $sort: { _id: 1 } },
    ]);
    res.json(rows);
  }),
);
