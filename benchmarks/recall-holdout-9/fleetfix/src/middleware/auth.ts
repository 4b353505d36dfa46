import type { NextFunction, Request, Response } from "express";
import jwt, { JwtPayload } from "jsonwebtoken";
import { config } from "../config";
import type { AuthUser } from "../types/express";

export class HttpError extends Error {
  constructor(public status: number, message: string, public code = "error") {
    super(message);
  }
}

export function signAccessToken(user: AuthUser): string {
  return jwt.sign({ shopId: user.shopId, role: user.role }, config.jwtSecret, {
    subject: user.id,
    expiresIn: config.jwtTtlSeconds,
    algorithm: "HS256",
    issuer: "fleetfix",
  });
}

export function requireAuth(req: Request, _res: Response, next: NextFunction): void {
  const header = req.headers.authorization ?? "";
  const [scheme, token] = header.split(" ");
  if (scheme !== "Bearer" || !token) {
    return next(new HttpError(401, "authentication required", "unauthenticated"));
  }
  try {
    const claims = jwt.verify(token, config.jwtSecret, { algorithms: ["HS256"], issuer: "fleetfix" }) as JwtPayload;
    req.user = { id: String(claims.sub), shopId: String(claims.shopId), role: claims.role };
    next();
  } catch {
    next(new HttpError(401, "invalid or expired token", "unauthenticated"));
  }
}

export function requireRole(...roles: AuthUser["role"][]) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    if (!req.user) return next(new HttpError(401, "authentication required", "unauthenticated"));
    if (!roles.includes(req.user.role)) return next(new HttpError(403, "insufficient role", "forbidden"));
    next();
  };
}
