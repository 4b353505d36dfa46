import config from '../config.js';
import { getClients } from '../clients/index.js';
import { withTransaction } from '../db/pool.js';
import logger from '../logger.js';
import { HttpError } from '../middleware/guards.js';
import { campaigns, donations, matches } from '../repositories/index.js';
import { formatCents, parseAmountToCents, platformFee } from '../util/money.js';

const MIN_CENTS = 100;
const MAX_CENTS = 5_000_000;

export async function checkout({ campaignId, donor, amount, paymentMethod, publicName, message, idempotencyKey }) {
  const amountCents = parseAmountToCents(amount);
  if (amountCents === null || amountCents < MIN_CENTS || amountCents > MAX_CENTS) {
    throw new HttpError(422, 'Amount must be between 1.00 and 50,000.00', 'bad_amount');
  }
  const existing = await donations.findByIdempotencyKey(idempotencyKey);
  if (existing) {
    if (existing.donor_id !== donor.id) throw new HttpError(409, 'Idempotency key reused', 'conflict');
    return { donation: existing, replayed: true };
  }

  const campaign = await campaigns.findById(campaignId);
  if (!campaign || campaign.status !== 'active') {
    throw new HttpError(404, 'Campaign not found or closed', 'not_found');
  }

  const donation = await donations.insertPending({
    campaignId: campaign.id,
    donorId: donor.id,
    amountCents,
    feeCents: platformFee(amountCents, config.platformFeeBps),
    currency: campaign.currency,
    publicName: publicName?.slice(0, 80) ?? null,
    message: message?.slice(0, 500) ?? null,
    idempotencyKey,
  });
  if (!donation) {
    return { donation: await donations.findByIdempotencyKey(idempotencyKey), replayed: true };
  }

  const { gateway, mailer } = getClients();
  const charge = await gateway.charge({
    amountCents,
    currency: campaign.currency,
    paymentMethod,
    description: `Donation to ${campaign.title}`,
    metadata: { donationId: donation.id, campaignId: campaign.id },
  });

  await withTransaction(async (client) => {
    await donations.markCharged(donation.id, charge.id, charge.status, client);
    if (charge.status === 'succeeded') {
      await campaigns.addRaised(campaign.id, amountCents, client);
    }
  });

  let matchedCents = 0;
  if (charge.status === 'succeeded') {
    matchedCents = await applyMatch(campaign.id, donation.id, amountCents);
    await mailer.sendReceipt(donor.email, {
      campaignTitle: campaign.title,
      amountLabel: formatCents(amountCents, campaign.currency),
      receiptUrl: `${config.publicUrl}/api/donations/${donation.id}/receipt.pdf`,
    });
  }
  logger.info({ donationId: donation.id, campaignId: campaign.id, amountCents, matchedCents }, 'donation completed');
  return { donation: { ...donation, status: charge.status, matched_cents: matchedCents }, replayed: false };
}

async function applyMatch(campaignId, donationId, amountCents) {
  const pool = await matches.activeForCampaign(campaignId);
  if (!pool) return 0;
  const wanted = Math.floor((amountCents * pool.ratio_pct) / 100);
  const matched = Math.min(wanted, pool.remaining_cents);
  await matches.setRemaining(pool.id, pool.remaining_cents - matched);
  await donations.setMatched(donationId, matched);
  await campaigns.addRaised(campaignId, matched);
  return matched;
}

export async function refund(donationId, reason) {
  const donation = await donations.findById(donationId);
  if (!donation || donation.status !== 'succeeded' || !donation.charge_id) {
    throw new HttpError(404, 'Donation not refundable', 'not_found');
  }
  if (donation.payout_id) {
    throw new HttpError(409, 'Donation already paid out to the charity', 'paid_out');
  }
  const { gateway } = getClients();
  await gateway.refund(donation.charge_id, { reason, refundKey: `refund-${donation.id}` });
  await withTransaction(async (client) => {
    await client.query("UPDATE donations SET status = 'refunded' WHERE id = $1", [donation.id]);
    await campaigns.addRaised(donation.campaign_id, -donation.amount_cents, client);
  });
}
