import { Worker, type Job } from 'bullmq';
import pino from 'pino';
import { prisma } from './plugins/prisma.js';
import { createWorkerConnection, type CertificateJob, type PayoutJob } from './jobs/queues.js';
import { payments } from './clients/payments.js';
import { sendMail } from './clients/mailer.js';
import { saveCertificate } from './lib/storage.js';
import { config } from './config.js';

const log = pino({ level: config.logLevel, name: 'coursepad-worker' });
const connection = createWorkerConnection();

async function processPayout(job: Job<PayoutJob>) {
  const payout = await prisma.payout.findUnique({ where: { id: job.data.payoutId } });
  if (!payout || payout.status !== 'REQUESTED') return;
  const instructor = await prisma.user.findUniqueOrThrow({
    where: { id: payout.instructorId },
    select: { payoutAccount: true },
  });
  try {
    const transfer = await payments.createTransfer({
      payoutId: payout.id,
      destination: instructor.payoutAccount ?? '',
      amountCents: payout.amountCents,
      currency: config.currency,
    });
    await prisma.payout.update({
      where: { id: payout.id },
      data: { status: 'PAID', providerTransferId: transfer.id },
    });
  } catch (err) {
    const attempts = job.opts.attempts ?? 1;
    if (job.attemptsMade + 1 < attempts) throw err;
    log.error({ err, payoutId: payout.id }, 'payout failed permanently, returning funds');
    await prisma.$transaction(async (tx) => {
      const marked = await tx.payout.updateMany({ where: { id: payout.id, status: 'REQUESTED' }, data: { status: 'FAILED' } });
      if (marked.count === 1) {
        await tx.instructorBalance.update({
          where: { instructorId: payout.instructorId },
          data: { availableCents: { increment: payout.amountCents } },
        });
      }
    });
    throw err;
  }
}

function renderCertificate(name: string, course: string, issuedAt: Date): Buffer {
  const text = `Certificate of completion\n\n${name}\n\ncompleted\n\n${course}\n\n${issuedAt.toISOString().slice(0, 10)}`;
  const stream = `BT /F1 18 Tf 72 720 Td (${text.replace(/[()\\]/g, '\\$&').replace(/\n/g, ') Tj T* (')}) Tj ET`;
  return Buffer.from(`%PDF-1.4\n1 0 obj<</Length ${stream.length}>>stream\n${stream}\nendstream endobj\n%%EOF\n`);
}

async function processCertificate(job: Job<CertificateJob>) {
  const enrollment = await prisma.enrollment.findUnique({
    where: { id: job.data.enrollmentId },
    include: { user: { select: { name: true, email: true } }, course: { select: { title: true } } },
  });
  if (!enrollment || !enrollment.completedAt) return;
  const fileName = `${enrollment.id}.pdf`;
  await saveCertificate(fileName, renderCertificate(enrollment.user.name, enrollment.course.title, enrollment.completedAt));
  await prisma.certificate.upsert({
    where: { enrollmentId: enrollment.id },
    create: { enrollmentId: enrollment.id, fileName },
    update: { fileName },
  });
  await sendMail({
    to: enrollment.user.email,
    template: 'certificate-issued',
    vars: { course: enrollment.course.title, ref: enrollment.id },
  }, log);
}

const workers = [
  new Worker<PayoutJob>('payouts', processPayout, { connection, concurrency: 2 }),
  new Worker<CertificateJob>('certificates', processCertificate, { connection, concurrency: 4 }),
];

for (const worker of workers) {
  worker.on('failed', (job, err) => log.warn({ err, jobId: job?.id, queue: worker.name }, 'job failed'));
}

const shutdown = async () => {
  await Promise.all(workers.map((w) => w.close()));
  await prisma.$disconnect();
  await connection.quit();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
process.on('SIGINT', () => void shutdown());
