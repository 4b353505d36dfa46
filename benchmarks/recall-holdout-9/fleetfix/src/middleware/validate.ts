import type { NextFunction, Request, Response } from "express";
import { ZodSchema } from "zod";
import { HttpError } from "./auth";

export function validateBody(schema: ZodSchema) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const parsed = schema.safeParse(req.body);
    if (!parsed.success) {
      return next(new HttpError(422, parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "), "validation"));
    }
    req.body = parsed.data;
    next();
  };
}
