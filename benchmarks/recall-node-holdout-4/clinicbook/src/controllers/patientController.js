import * as patientService from '../services/patientService.js';
import { parsePagination, pageEnvelope } from '../utils/pagination.js';

export async function list(req, res) {
  const paging = parsePagination(req.query);
  const { items, total } = await patientService.listPatients(req.user, req.query, paging);
  res.json(pageEnvelope(items, total, paging));
}

export async function get(req, res) {
  res.json(await patientService.getPatient(req.user, req.params.patientId));
}

export async function create(req, res) {
  const patient = await patientService.createPatient(req.user, req.body);
  res.status(201).json(patient);
}

export async function update(req, res) {
  res.json(await patientService.updatePatient(req.user, req.params.patientId, req.body));
}

export async function archive(req, res) {
  await patientService.archivePatient(req.user, req.params.patientId);
  res.status(204).end();
}

export async function uploadDocument(req, res) {
  const doc = await patientService.attachUploadedDocument(req.user, req.params.patientId, req.file, req.body.kind);
  res.status(201).json(doc);
}

export async function importDocument(req, res) {
  const doc = await patientService.importDocumentFromUrl(req.user, req.params.patientId, {
    sourceUrl: req.body.sourceUrl,
    kind: req.body.kind,
  });
  res.status(201).json(doc);
}

export async function downloadDocument(req, res) {
  const { absolutePath, downloadName, mimeType } = await patientService.resolveDocumentPath(
    req.user,
    req.params.patientId,
    req.params.documentId,
  );
  res.type(mimeType);
  res.download(absolutePath, downloadName);
}

export async function verifyInsurance(req, res) {
  const result = await patientService.verifyInsurance(req.user, req.params.patientId, req.body.serviceDate);
  res.json(result);
}
