import { Router } from "express";
import { asyncHandler } from "../middleware/asyncHandler";
import { HttpError } from "../middleware/auth";
import { resolveUpload } from "../services/storage";

export const filesRouter = Router();

filesRouter.get(
  "/",
  asyncHandler(async (req, res) => {
    const name = req.query.name;
    if (typeof name !== "string" || !name) throw new HttpError(422, "name required", "validation");
    res.sendFile(resolveUpload(req.user!.shopId, name), (err) => {
      if (err && !res.headersSent) res.status(404).json({ error: "not_found" });
    });
  }),
);
