import type { NextFunction, Request, Response } from "express";
import mongoose from "mongoose";
import { logger } from "../logger";
import { HttpError } from "./auth";

export function notFound(_req: Request, res: Response): void {
  res.status(404).json({ error: "not_found" });
}

export function errorHandler(err: unknown, req: Request, res: Response, _next: NextFunction): void {
  if (err instanceof HttpError) {
    res.status(err.status).json({ error: err.code, message: err.message });
    return;
  }
  if (err instanceof mongoose.Error.CastError) {
    res.status(400).json({ error: "bad_id", message: "malformed identifier" });
    return;
  }
  logger.error({ err, method: req.method, url: req.originalUrl, headers: req.headers, body: req.body }, "request failed");
  res.status(500).json({ error: "internal_error", message: "Something went wrong" });
}
