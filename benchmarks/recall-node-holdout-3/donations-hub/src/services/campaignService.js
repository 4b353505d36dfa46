import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fetch } from 'undici';
import config from '../config.js';
import logger from '../logger.js';
import { HttpError } from '../middleware/guards.js';
import { campaigns, donations } from '../repositories/index.js';

const IMAGE_TYPES = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp' };
const MAX_COVER_BYTES = 5 * 1024 * 1024;

function withTotals(campaign, totals) {
  return {
    ...campaign,
    total_cents: totals?.total_cents ?? 0,
    donor_count: totals?.donor_count ?? 0,
    progress: Math.min(100, Math.floor(((totals?.total_cents ?? 0) * 100) / campaign.goal_cents)),
  };
}

export async function listActive(query) {
  const rows = await campaigns.list(query);
  const result = [];
  for (const campaign of rows) {
    const totals = await donations.totalsForCampaign(campaign.id);
    result.push(withTotals(campaign, totals));
  }
  return result;
}

export async function listFeatured() {
  const rows = await campaigns.featured();
  const totals = await donations.totalsForCampaigns(rows.map((c) => c.id));
  return rows.map((c) => withTotals(c, totals.get(c.id)));
}

export async function search(q) {
  const term = String(q ?? '').trim();
  if (term.length < 2) return [];
  return campaigns.search(term.slice(0, 80));
}

export async function getOwned(campaignId, user) {
  const campaign = await campaigns.findById(campaignId);
  if (!campaign) throw new HttpError(404, 'Campaign not found', 'not_found');
  if (campaign.organizer_id !== user.id && user.role !== 'admin') {
    throw new HttpError(404, 'Campaign not found', 'not_found');
  }
  return campaign;
}

/** Organisers paste a link to an image they already host; we keep our own copy. */
export async function importCover(campaign, imageUrl) {
  const url = new URL(imageUrl);
  if (!['http:', 'https:'].includes(url.protocol)) {
    throw new HttpError(400, 'Image URL must be http(s)', 'bad_url');
  }
  const res = await fetch(url, { signal: AbortSignal.timeout(8_000), redirect: 'follow' });
  const type = (res.headers.get('content-type') ?? '').split(';')[0].trim();
  const ext = IMAGE_TYPES[type];
  if (!res.ok || !ext) {
    throw new HttpError(422, `Could not use that image (status ${res.status}, type ${type || 'unknown'})`, 'bad_image');
  }
  const body = Buffer.from(await res.arrayBuffer());
  if (body.length > MAX_COVER_BYTES) {
    throw new HttpError(413, 'Image is larger than 5 MB', 'too_large');
  }
  const dir = path.join(config.mediaDir, String(campaign.id));
  const fileName = `cover-${randomUUID()}.${ext}`;
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, fileName), body);
  await campaigns.setCover(campaign.id, fileName);
  logger.info({ campaignId: campaign.id, bytes: body.length }, 'cover imported');
  return fileName;
}
