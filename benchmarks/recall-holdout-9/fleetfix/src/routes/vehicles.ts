import { Router } from "express";
import multer from "multer";
import { z } from "zod";
import { decodeVin } from "../clients/vinDecoder";
import { asyncHandler } from "../middleware/asyncHandler";
import { HttpError } from "../middleware/auth";
import { validateBody } from "../middleware/validate";
import { Customer } from "../models/Customer";
import { Vehicle } from "../models/Vehicle";
import * as photoService from "../services/photoService";

export const vehiclesRouter = Router();

const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 8 * 1024 * 1024, files: 1 } });

const vehicleIn = z
  .object({
    customerId: z.string().length(24),
    vin: z.string().length(17),
    plate: z.string().min(2).max(12),
    mileage: z.number().int().min(0).optional(),
  })
  .strict();

vehiclesRouter.post(
  "/",
  validateBody(vehicleIn),
  asyncHandler(async (req, res) => {
    const shopId = req.user!.shopId;
    const customer = await Customer.exists({ _id: req.body.customerId, shopId });
    if (!customer) throw new HttpError(404, "customer not found", "not_found");
    const decoded = await decodeVin(req.body.vin);
    const vehicle = await Vehicle.create({ ...req.body, ...decoded, shopId });
    res.status(201).json(vehicle);
  }),
);

vehiclesRouter.post(
  "/:id/photos/import",
  validateBody(z.object({ url: z.string().url().max(1000) })),
  asyncHandler(async (req, res) => {
    const key = await photoService.importPhotoFromUrl(req.user!.shopId, req.params.id, req.body.url);
    res.status(201).json({ key });
  }),
);

vehiclesRouter.post(
  "/:id/photos",
  upload.single("photo"),
  asyncHandler(async (req, res) => {
    if (!req.file) throw new HttpError(422, "photo required", "validation");
    const key = await photoService.attachPhoto(req.user!.shopId, req.params.id, req.file.buffer, req.file.mimetype);
    res.status(201).json({ key });
  }),
);
