import type { Request } from "express";

export function pageParams(req: Request, max = 100): { limit: number; skip: number } {
  const limit = Math.min(Math.max(Number(req.query.limit) || 25, 1), max);
  const page = Math.max(Number(req.query.page) || 1, 1);
  return { limit, skip: (page - 1) * limit };
}

export function escapeRegex(input: string): string {
  return input.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
