import axios from "axios";
import { HttpError } from "../middleware/auth";
import { Vehicle } from "../models/Vehicle";
import { saveUpload } from "./storage";

const MAX_PHOTO_BYTES = 8 * 1024 * 1024;

export async function importPhotoFromUrl(shopId: string, vehicleId: string, url: string): Promise<string> {
  const vehicle = await Vehicle.findOne({ _id: vehicleId, shopId });
  if (!vehicle) throw new HttpError(404, "vehicle not found", "not_found");
  const response = await axios.get<ArrayBuffer>(url, {
    responseType: "arraybuffer",
    timeout: 10_000,
    maxContentLength: MAX_PHOTO_BYTES,
  });
  const mime = String(response.headers["content-type"] ?? "").split(";")[0];
  const key = await saveUpload(shopId, Buffer.from(response.data), mime);
  vehicle.photos.push(key);
  await vehicle.save();
  return key;
}

export async function attachPhoto(shopId: string, vehicleId: string, buffer: Buffer, mime: string): Promise<string> {
  const vehicle = await Vehicle.findOne({ _id: vehicleId, shopId });
  if (!vehicle) throw new HttpError(404, "vehicle not found", "not_found");
  const key = await saveUpload(shopId, buffer, mime);
  await Vehicle.updateOne({ _id: vehicle._id }, { $push: { photos: key } });
  return key;
}
