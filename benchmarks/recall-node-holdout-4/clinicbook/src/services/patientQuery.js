import mongoose from 'mongoose';
import { escapeRegex } from '../utils/strings.js';

const SORTABLE = new Set(['lastName', 'firstName', 'createdAt', 'dateOfBirth']);

export function parseSort(sortParam) {
  const raw = String(sortParam || 'lastName');
  const desc = raw.startsWith('-');
  const field = desc ? raw.slice(1) : raw;
  if (!SORTABLE.has(field)) return { lastName: 1 };
  return { [field]: desc ? -1 : 1 };
}

/**
 * Builds the mongo filter for the patient list. The front-end's advanced
 * filter panel sends a JSON object (e.g. {"insurance.payerId":"AETNA"}).
 */
export function buildPatientFilter(clinicScopeFilter, query) {
  const filter = { ...clinicScopeFilter, archived: false };

  if (query.q) {
    const rx = new RegExp(escapeRegex(query.q), 'i');
    filter.$or = [{ lastName: rx }, { firstName: rx }, { email: rx }];
  }
  if (query.advanced) {
    Object.assign(filter, JSON.parse(query.advanced));
  }
  if (query.createdAfter) {
    filter.createdAt = { $gte: new Date(query.createdAfter) };
  }
  return filter;
}

export function toObjectId(id) {
  return mongoose.isValidObjectId(id) ? new mongoose.Types.ObjectId(id) : null;
}
