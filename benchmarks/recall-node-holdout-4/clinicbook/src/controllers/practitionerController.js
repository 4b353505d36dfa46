import { Practitioner } from '../models/index.js';
import { notFound } from '../utils/errors.js';

const PUBLIC_FIELDS = 'displayName specialty slotMinutes feeCents bio';

export async function listForClinic(req, res) {
  const items = await Practitioner.find({ clinic: req.params.clinicId, active: true })
    .select(PUBLIC_FIELDS)
    .sort({ displayName: 1 })
    .limit(200)
    .lean();
  res.json({ items });
}

export async function getOne(req, res) {
  const practitioner = await Practitioner.findOne({ _id: req.params.practitionerId, active: true })
    .select(PUBLIC_FIELDS)
    .lean();
  if (!practitioner) throw notFound('Practitioner');
  res.json(practitioner);
}
