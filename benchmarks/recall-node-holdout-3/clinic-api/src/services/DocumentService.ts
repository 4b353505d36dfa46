import { AxiosInstance } from 'axios';
import { createHash, randomUUID } from 'crypto';
import { promises as fs } from 'fs';
import path from 'path';
import { HttpClientFactory } from '../clients/httpClientFactory';
import { AppConfig } from '../config';
import { ImportDocumentDto } from '../dto/schemas';
import { logger } from '../logger';
import { AuthUser } from '../middleware/auth';
import { PatientService } from './PatientService';

const DOCUMENT_ROOT = process.env.DOCUMENT_ROOT ?? '/var/lib/clinic-api/documents';

export interface StoredDocument {
  id: string;
  patientId: string;
  title: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
}

export class DocumentService {
  private readonly fetcher: AxiosInstance;

  constructor(
    factory: HttpClientFactory,
    private readonly patients: PatientService,
    cfg: AppConfig,
  ) {
    this.fetcher = factory.create({
      name: 'document-import',
      timeoutMs: 15_000,
      maxContentLength: cfg.documents.maxBytes,
      ca: cfg.labCaBundle,
    });
  }

  /** Pulls a lab report or referral letter from the URL the clinician pasted. */
  async importFromUrl(user: AuthUser, patientId: string, dto: ImportDocumentDto): Promise<StoredDocument> {
    const patient = await this.patients.getVisible(user, patientId);
    const response = await this.fetcher.get<ArrayBuffer>(dto.sourceUrl, { responseType: 'arraybuffer' });
    const body = Buffer.from(response.data);
    const contentType = String(response.headers['content-type'] ?? 'application/octet-stream');

    const id = randomUUID();
    const dir = path.join(DOCUMENT_ROOT, patient.clinicId, patient.id);
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(path.join(dir, id), body);

    const doc: StoredDocument = {
      id,
      patientId: patient.id,
      title: dto.title,
      contentType,
      sizeBytes: body.length,
      sha256: createHash('sha256').update(body).digest('hex'),
    };
    await fs.writeFile(path.join(dir, `${id}.json`), JSON.stringify(doc));
    logger.info({ documentId: id, patientId: patient.id, sizeBytes: body.length }, 'document imported');
    return doc;
  }
}
