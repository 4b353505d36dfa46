import { Router } from 'express';
import { HttpError, asyncRoute, verifyCsrf } from '../middleware/guards.js';
import { donations } from '../repositories/index.js';
import * as donationService from '../services/donationService.js';
import * as receiptService from '../services/receiptService.js';

const router = Router();
router.use(verifyCsrf);

const IDEMPOTENCY_RE = /^[A-Za-z0-9_-]{16,64}$/;

router.post(
  '/',
  asyncRoute(async (req, res) => {
    const idempotencyKey = req.get('Idempotency-Key');
    if (!idempotencyKey || !IDEMPOTENCY_RE.test(idempotencyKey)) {
      throw new HttpError(400, 'Idempotency-Key header (16-64 url-safe characters) is required', 'idempotency_key');
    }
    const { donation, replayed } = await donationService.checkout({
      campaignId: Number(req.body.campaignId),
      donor: req.user,
      amount: req.body.amount,
      paymentMethod: String(req.body.paymentMethod ?? ''),
      publicName: req.body.anonymous ? null : req.body.publicName,
      message: req.body.message,
      idempotencyKey,
    });
    res.status(replayed ? 200 : 201).json({
      id: donation.id,
      status: donation.status,
      amountCents: donation.amount_cents,
      matchedCents: donation.matched_cents,
    });
  }),
);

router.get(
  '/mine',
  asyncRoute(async (req, res) => {
    res.json(await donations.listForDonor(req.user.id, { limit: req.query.limit, before: req.query.before }));
  }),
);

router.get(
  '/:id',
  asyncRoute(async (req, res) => {
    const donation = await donations.findForDonor(Number(req.params.id), req.user.id);
    if (!donation) throw new HttpError(404, 'Donation not found', 'not_found');
    res.json(donation);
  }),
);

router.get(
  '/:id/receipt.pdf',
  asyncRoute(async (req, res) => {
    const { fileName, body } = await receiptService.receiptPdf(Number(req.params.id));
    res.set({
      'Content-Type': 'application/pdf',
      'Content-Disposition': `attachment; filename="${fileName}"`,
      'Cache-Control': 'private, no-store',
    });
    res.send(body);
  }),
);

export default router;
