import crypto from "crypto";
import fs from "fs/promises";
import path from "path";
import { config } from "../config";

const EXTENSIONS: Record<string, string> = { "image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf" };

export async function saveUpload(shopId: string, buffer: Buffer, mimeType: string): Promise<string> {
  const ext = EXTENSIONS[mimeType];
  if (!ext) throw new Error(`unsupported type ${mimeType}`);
  const name = `${crypto.randomUUID()}${ext}`;
  const dir = path.join(config.uploadDir, shopId);
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, name), buffer);
  return `${shopId}/${name}`;
}

export function resolveUpload(shopId: string, name: string): string {
  return path.join(config.uploadDir, shopId, name);
}

export function resolveInvoicePdf(relative: string): string {
  const root = path.resolve(config.uploadDir, "invoices");
  const full = path.resolve(root, relative);
  if (!full.startsWith(root + path.sep)) throw new Error("invalid invoice path");
  return full;
}
