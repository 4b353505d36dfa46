import { Job, Worker } from "bullmq";
import fs from "fs/promises";
import path from "path";
import { sendSms } from "../clients/sms";
import { createHttpClient } from "../clients/http";
import { config } from "../config";
import { connectDb } from "../db";
import { logger } from "../logger";
import { Invoice } from "../models/Invoice";
import { connection } from "./queues";

const mailer = createHttpClient(process.env.MAIL_API_URL ?? "https://mail.internal.example", {
  Authorization: `Key ${process.env.MAIL_API_KEY ?? ""}`,
});
const renderer = createHttpClient(process.env.PDF_RENDERER_URL ?? "http://pdf-renderer:3000");

async function handleNotification(job: Job) {
  if (job.name === "sms") {
    await sendSms(job.data.to, job.data.text);
  } else if (job.name === "email") {
    await mailer.post("/send", { to: job.data.to, subject: job.data.subject, text: job.data.text });
  }
}

async function renderInvoicePdf(job: Job<{ invoiceId: string }>) {
  const invoice = await Invoice.findById(job.data.invoiceId).lean();
  if (!invoice) return;
  const { data } = await renderer.post<ArrayBuffer>("/render/invoice", invoice, { responseType: "arraybuffer" });
  const relative = path.join(String(invoice.shopId), `${invoice._id}.pdf`);
  const full = path.join(config.uploadDir, "invoices", relative);
  await fs.mkdir(path.dirname(full), { recursive: true });
  await fs.writeFile(full, Buffer.from(data));
  await Invoice.updateOne({ _id: invoice._id }, { $set: { pdfPath: relative } });
}

async function main() {
  await connectDb();
  const workers = [
    new Worker("notifications", handleNotification, { connection, concurrency: 10 }),
    new Worker("invoices", renderInvoicePdf, { connection, concurrency: 2 }),
  ];
  for (const w of workers) {
    w.on("failed", (job, err) => logger.error({ jobId: job?.id, queue: w.name, err }, "job failed"));
  }
  const shutdown = async () => {
    await Promise.all(workers.map((w) => w.close()));
    await connection.quit();
    process.exit(0);
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

main().catch((err) => {
  logger.fatal({ err }, "worker failed to start");
  process.exit(1);
});
