import "express";

export interface AuthUser {
  id: string;
  shopId: string;
  role: "owner" | "manager" | "technician" | "frontdesk";
}

declare global {
  namespace Express {
    interface Request {
      user?: AuthUser;
    }
  }
}
