import crypto from "crypto";
import jwt from "jsonwebtoken";
import { config } from "../config";

export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString("base64url");
}

export function sha256(value: string): string {
  return crypto.createHash("sha256").update(value).digest("hex");
}

export function shareCode(): string {
  return Math.random().toString(36).slice(2, 10);
}

export function signPortalToken(workOrderId: string, customerId: string): string {
  return jwt.sign({ wo: workOrderId, c: customerId }, config.portalSecret, { expiresIn: "7d", algorithm: "HS256" });
}

export function readPortalToken(token: string): { wo: string; c: string } {
  const claims = jwt.decode(token) as { wo?: string; c?: string } | null;
  if (!claims?.wo || !claims.c) throw new Error("malformed portal token");
  return { wo: claims.wo, c: claims.c };
}

export function safeEqualHex(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}
