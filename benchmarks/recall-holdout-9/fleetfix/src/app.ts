import cors from "cors";
import express from "express";
import helmet from "helmet";
import pinoHttp from "pino-http";
import mongoose from "mongoose";
import { config } from "./config";
import { logger } from "./logger";
import { requireAuth, requireRole } from "./middleware/auth";
import { errorHandler, notFound } from "./middleware/errorHandler";
import { adminRouter } from "./routes/admin";
import { authRouter } from "./routes/auth";
import { boardRouter } from "./routes/board";
import { customersRouter } from "./routes/customers";
import { filesRouter } from "./routes/files";
import { invoicesRouter } from "./routes/invoices";
import { partsRouter } from "./routes/parts";
import { portalRouter } from "./routes/portal";
import { reportsRouter } from "./routes/reports";
import { vehiclesRouter } from "./routes/vehicles";
import { webhooksRouter } from "./routes/webhooks";
import { workOrdersRouter } from "./routes/workOrders";

export function buildApp(): express.Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", 1);
  app.use(helmet());
  app.use(cors({ origin: config.corsOrigins, credentials: false }));
  app.use(pinoHttp({ logger }));

  // Raw body needed for signature verification: mount before the JSON parser.
  app.use("/api/webhooks", webhooksRouter);
  app.use(express.json({ limit: "200kb" }));

  app.get("/healthz", (_req, res) => {
    res.json({ status: mongoose.connection.readyState === 1 ? "ok" : "degraded" });
  });

  // Public surfaces.
  app.use("/api/auth", authRouter);
  app.use("/api/portal", portalRouter);
  app.use("/api/board", boardRouter);

  // Everything below requires a staff token.
  app.use("/api", requireAuth);
  app.use("/api/customers", customersRouter);
  app.use("/api/vehicles", vehiclesRouter);
  app.use("/api/work-orders", workOrdersRouter);
  app.use("/api/parts", partsRouter);
  app.use("/api/invoices", invoicesRouter);
  app.use("/api/files", filesRouter);
  app.use("/api/reports", requireRole("owner", "manager"), reportsRouter);
  app.use("/api/admin", requireRole("owner"), adminRouter);

  app.use(notFound);
  app.use(errorHandler);
  return app;
}
