import cron from 'node-cron';
import { setTimeout as sleep } from 'node:timers/promises';
import { getClients } from '../clients/index.js';
import config from '../config.js';
import { withAdvisoryLock } from '../db/pool.js';
import logger from '../logger.js';
import { campaigns, donations, payouts } from '../repositories/index.js';

const PAYOUT_LOCK_KEY = 724_001;

async function settleCampaign(campaign) {
  const unpaid = await donations.unpaidForCampaign(campaign.id);
  if (unpaid.length === 0) return null;
  const amountCents = unpaid.reduce((sum, d) => sum + d.amount_cents + d.matched_cents - d.fee_cents, 0);
  if (amountCents <= 0) return null;

  const payoutId = await payouts.create(campaign.id, amountCents);
  await donations.assignPayout(
    unpaid.map((d) => d.id),
    payoutId,
  );
  const transfer = await getClients().gateway.transfer({
    destination: campaign.payout_account,
    amountCents,
    currency: campaign.currency,
    reference: String(payoutId),
  });
  await payouts.markSent(payoutId, transfer.id);
  return { payoutId, amountCents, donations: unpaid.length };
}

export async function settleAll() {
  const outcome = await withAdvisoryLock(PAYOUT_LOCK_KEY, async () => {
    const due = await campaigns.withUnpaidDonations();
    let settled = 0;
    let failed = 0;
    for (const campaign of due) {
      try {
        const result = await settleCampaign(campaign);
        if (result) {
          settled += 1;
          logger.info({ campaignId: campaign.id, ...result }, 'payout sent');
        }
      } catch (err) {
        // One charity's bad bank details must not block everyone else's payout;
        // the failure is alerted on and the campaign is retried on the next run.
        failed += 1;
        logger.error({ err, campaignId: campaign.id }, 'payout failed');
      }
    }
    return { campaigns: due.length, settled, failed };
  });
  if (outcome.skipped) {
    logger.info('payout run skipped: another instance holds the lock');
  } else {
    logger.info(outcome.result, 'payout run finished');
  }
  return outcome;
}

export function schedulePayouts() {
  return cron.schedule(config.payoutCron, async () => {
    // Spread instances a little so they do not all hit the lock at the same second.
    await sleep(Math.floor(Math.random() * 30_000));
    try {
      await settleAll();
    } catch (err) {
      logger.error({ err }, 'payout run crashed');
    }
  });
}
