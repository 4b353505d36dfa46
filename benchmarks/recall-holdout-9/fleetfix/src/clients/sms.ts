import { config } from "../config";
import { createHttpClient } from "./http";

const http = createHttpClient(config.smsUrl, { Authorization: `Key ${config.smsKey}` });

export async function sendSms(to: string, text: string): Promise<void> {
  await http.post("/messages", { to, text, sender: "FleetFix" });
}
