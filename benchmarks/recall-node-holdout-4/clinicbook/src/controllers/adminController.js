import { User, Practitioner, AuditLog, Clinic, ROLES } from '../models/index.js';
import { notFound, badRequest, forbidden } from '../utils/errors.js';
import { parsePagination, pageEnvelope } from '../utils/pagination.js';
import { escapeRegex, pick } from '../utils/strings.js';
import { clinicScope } from '../services/accessPolicy.js';

export async function listStaff(req, res) {
  const paging = parsePagination(req.query);
  const filter = { ...clinicScope(req.user), role: { $ne: 'patient' } };
  if (req.query.q) {
    filter.email = new RegExp(`^${escapeRegex(req.query.q)}`, 'i');
  }
  const [items, total] = await Promise.all([
    User.find(filter).sort({ lastName: 1 }).skip(paging.skip).limit(paging.limit).lean(),
    User.countDocuments(filter),
  ]);
  const safe = items.map((u) => pick(u, ['_id', 'email', 'firstName', 'lastName', 'role', 'lastLoginAt', 'disabled']));
  res.json(pageEnvelope(safe, total, paging));
}

export async function setUserRole(req, res) {
  const { role } = req.body;
  if (!ROLES.includes(role)) throw badRequest('Unknown role');
  const user = await User.findByIdAndUpdate(
    req.params.userId,
    { $set: { role }, $inc: { tokenVersion: 1 } },
    { new: true },
  );
  if (!user) throw notFound('User');
  await AuditLog.create({
    actor: req.user.id,
    clinic: user.clinic,
    action: 'user.role_changed',
    target: String(user._id),
    meta: { role },
  });
  res.json(user);
}

export async function disableUser(req, res) {
  const user = await User.findOneAndUpdate(
    { _id: req.params.userId, ...clinicScope(req.user) },
    { $set: { disabled: true }, $inc: { tokenVersion: 1 } },
    { new: true },
  );
  if (!user) throw notFound('User');
  await AuditLog.create({ actor: req.user.id, clinic: user.clinic, action: 'user.disabled', target: String(user._id) });
  res.json(user);
}

export async function upsertPractitioner(req, res) {
  const data = pick(req.body, ['displayName', 'specialty', 'slotMinutes', 'feeCents', 'bio', 'active']);
  if (data.feeCents !== undefined && !Number.isInteger(data.feeCents)) {
    throw badRequest('feeCents must be an integer');
  }
  const practitioner = await Practitioner.findOneAndUpdate(
    { user: req.params.userId, clinic: req.user.clinicId },
    { $set: data, $setOnInsert: { user: req.params.userId, clinic: req.user.clinicId } },
    { new: true, upsert: true, runValidators: true },
  );
  res.json(practitioner);
}

export async function updateClinicSettings(req, res) {
  if (req.params.clinicId !== req.user.clinicId && req.user.role !== 'platform_admin') {
    throw forbidden();
  }
  const data = pick(req.body, ['name', 'phone', 'timezone', 'openingHours', 'cancellationWindowHours', 'taxRateBps']);
  const clinic = await Clinic.findByIdAndUpdate(req.params.clinicId, { $set: data }, { new: true, runValidators: true });
  if (!clinic) throw notFound('Clinic');
  res.json(clinic);
}

export async function auditTrail(req, res) {
  const paging = parsePagination(req.query);
  const filter = clinicScope(req.user);
  const [items, total] = await Promise.all([
    AuditLog.find(filter).sort({ createdAt: -1 }).skip(paging.skip).limit(paging.limit).lean(),
    AuditLog.countDocuments(filter),
  ]);
  res.json(pageEnvelope(items, total, paging));
}
