import { Schema, model } from "mongoose";

const webhookEventSchema = new Schema(
  {
    _id: { type: String, required: true },
    type: String,
    receivedAt: { type: Date, default: Date.now, expires: 60 * 60 * 24 * 30 },
  },
  { versionKey: false },
);

export const WebhookEvent = model("WebhookEvent", webhookEventSchema);
