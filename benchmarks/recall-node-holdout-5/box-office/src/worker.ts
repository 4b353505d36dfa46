import { createKnex } from './plugins/db';
import { handlers, Job } from './jobs/handlers';

const db = createKnex();
const POLL_MS = 1000;
const MAX_ATTEMPTS = 6;
let stopping = false;

async function claimJob(): Promise<Job | undefined> {
  return db.transaction(async (trx) => {
    const job = await trx<Job>('jobs')
      .where('run_at', '<=', trx.fn.now())
      .whereNull('done_at')
      .whereNull('dead_at')
      .orderBy('run_at')
      .forUpdate()
      .skipLocked()
      .first();
    if (!job) {
      return undefined;
    }
    await trx('jobs')
      .where({ id: job.id })
      .update({ attempts: job.attempts + 1, run_at: trx.raw(`now() + interval '5 minutes'`) });
    return { ...job, attempts: job.attempts + 1 };
  });
}

async function runOnce(): Promise<boolean> {
  const job = await claimJob();
  if (!job) {
    return false;
  }
  const handler = handlers[job.kind];
  try {
    if (!handler) {
      throw new Error(`no handler for ${job.kind}`);
    }
    await handler(db, job);
    await db('jobs').where({ id: job.id }).update({ done_at: db.fn.now() });
  } catch (err) {
    const delaySeconds = Math.min(3600, 15 * 2 ** job.attempts);
    const dead = job.attempts >= MAX_ATTEMPTS;
    console.error(`job ${job.id} (${job.kind}) attempt ${job.attempts} failed`, err);
    await db('jobs')
      .where({ id: job.id })
      .update(
        dead
          ? { dead_at: db.fn.now(), last_error: String(err).slice(0, 1000) }
          : { run_at: db.raw(`now() + (? || ' seconds')::interval`, [delaySeconds]), last_error: String(err).slice(0, 1000) },
      );
  }
  return true;
}

async function loop(): Promise<void> {
  let lastHoldSweep = 0;
  while (!stopping) {
    if (Date.now() - lastHoldSweep > 60_000) {
      lastHoldSweep = Date.now();
      await handlers['expire-holds'](db, { id: 'sweep', kind: 'expire-holds', payload: {}, attempts: 0 }).catch((err) =>
        console.error('hold sweep failed', err),
      );
    }
    const worked = await runOnce().catch((err) => {
      console.error('worker loop error', err);
      return false;
    });
    if (!worked) {
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
  await db.destroy();
}

process.on('SIGTERM', () => {
  stopping = true;
});

void loop();
