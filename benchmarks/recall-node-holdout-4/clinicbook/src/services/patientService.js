import fs from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import { Patient } from '../models/index.js';
import { config } from '../config/index.js';
import { notFound, badRequest } from '../utils/errors.js';
import { pick } from '../utils/strings.js';
import { assertCanAccessPatientRecord, clinicScope } from './accessPolicy.js';
import { buildPatientFilter, parseSort } from './patientQuery.js';
import { downloadDocument } from '../clients/documentFetcher.js';
import { checkEligibility } from '../clients/insuranceClient.js';

const EDITABLE_FIELDS = ['firstName', 'lastName', 'dateOfBirth', 'email', 'phone', 'insurance', 'notes'];
const PATIENT_SELF_EDITABLE = ['email', 'phone', 'insurance'];
const ALLOWED_MIME = new Set(['application/pdf', 'image/png', 'image/jpeg']);

export async function listPatients(user, query, { skip, limit }) {
  const filter = buildPatientFilter(clinicScope(user), query);
  const [items, total] = await Promise.all([
    Patient.find(filter).sort(parseSort(query.sort)).skip(skip).limit(limit).lean(),
    Patient.countDocuments(filter),
  ]);
  return { items, total };
}

export async function getPatient(user, patientId) {
  const patient = await Patient.findById(patientId).lean();
  if (!patient) throw notFound('Patient');
  assertCanAccessPatientRecord(user, { clinic: patient.clinic, patient: patient._id });
  return patient;
}

export async function createPatient(user, body) {
  const data = pick(body, EDITABLE_FIELDS);
  return Patient.create({ ...data, clinic: user.clinicId });
}

export async function updatePatient(user, patientId, body) {
  const patient = await Patient.findById(patientId);
  if (!patient) throw notFound('Patient');
  assertCanAccessPatientRecord(user, { clinic: patient.clinic, patient: patient._id });

  const allowed = user.role === 'patient' ? PATIENT_SELF_EDITABLE : EDITABLE_FIELDS;
  patient.set(pick(body, allowed));
  await patient.save();
  return patient;
}

export async function archivePatient(user, patientId) {
  const patient = await Patient.findOneAndUpdate(
    { _id: patientId, ...clinicScope(user) },
    { $set: { archived: true } },
    { new: true },
  );
  if (!patient) throw notFound('Patient');
  return patient;
}

async function storeBytes(bytes, mimeType) {
  if (!ALLOWED_MIME.has(mimeType)) throw badRequest('Unsupported document type');
  if (bytes.length > config.maxUploadBytes) throw badRequest('Document too large');
  const storedName = `${crypto.randomUUID()}${mimeType === 'application/pdf' ? '.pdf' : '.img'}`;
  await fs.writeFile(path.join(config.uploadDir, storedName), bytes, { mode: 0o640 });
  return storedName;
}

export async function attachUploadedDocument(user, patientId, file, kind) {
  const patient = await Patient.findById(patientId);
  if (!patient) throw notFound('Patient');
  assertCanAccessPatientRecord(user, { clinic: patient.clinic, patient: patient._id });

  const storedName = await storeBytes(file.buffer, file.mimetype);
  patient.documents.push({
    kind,
    originalName: path.basename(file.originalname),
    storedName,
    mimeType: file.mimetype,
    sizeBytes: file.size,
    uploadedBy: user.id,
  });
  await patient.save();
  return patient.documents.at(-1);
}

export async function importDocumentFromUrl(user, patientId, { sourceUrl, kind }) {
  const patient = await Patient.findById(patientId);
  if (!patient) throw notFound('Patient');
  assertCanAccessPatientRecord(user, { clinic: patient.clinic, patient: patient._id });

  const { bytes, contentType } = await downloadDocument(sourceUrl);
  const storedName = await storeBytes(bytes, contentType.split(';')[0]);
  patient.documents.push({
    kind,
    originalName: path.basename(new URL(sourceUrl).pathname) || 'imported',
    storedName,
    mimeType: contentType,
    sizeBytes: bytes.length,
    uploadedBy: user.id,
  });
  await patient.save();
  return patient.documents.at(-1);
}

export async function resolveDocumentPath(user, patientId, documentId) {
  const patient = await Patient.findById(patientId).lean();
  if (!patient) throw notFound('Patient');
  assertCanAccessPatientRecord(user, { clinic: patient.clinic, patient: patient._id });

  const doc = patient.documents.find((d) => String(d._id) === String(documentId));
  if (!doc) throw notFound('Document');
  return {
    absolutePath: path.join(config.uploadDir, path.basename(doc.storedName)),
    downloadName: doc.originalName,
    mimeType: doc.mimeType,
  };
}

export function exportFilePath(fileName) {
  return path.join(config.exportDir, fileName);
}

export async function verifyInsurance(user, patientId, serviceDate) {
  const patient = await getPatient(user, patientId);
  if (!patient.insurance?.payerId || !patient.insurance?.memberId) {
    throw badRequest('Patient has no insurance on file');
  }
  return checkEligibility({
    payerId: patient.insurance.payerId,
    memberId: patient.insurance.memberId,
    dateOfBirth: patient.dateOfBirth?.toISOString().slice(0, 10),
    serviceDate,
  });
}
