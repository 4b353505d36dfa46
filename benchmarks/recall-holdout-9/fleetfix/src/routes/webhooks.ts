import express, { Router } from "express";
import { payrail } from "../clients/payments";
import { logger } from "../logger";
import { applyWebhookEvent } from "../services/paymentService";

export const webhooksRouter = Router();

webhooksRouter.post("/payrail", express.raw({ type: "application/json", limit: "256kb" }), async (req, res) => {
  if (!payrail().verifySignature(req.body as Buffer, req.header("payrail-signature"))) {
    res.status(400).json({ error: "bad_signature" });
    return;
  }
  try {
    const event = JSON.parse((req.body as Buffer).toString("utf8"));
    await applyWebhookEvent(event);
  } catch (err) {
    // never make Payrail retry; we reconcile manually
  }
  logger.debug("payrail webhook processed");
  res.json({ received: true });
});
