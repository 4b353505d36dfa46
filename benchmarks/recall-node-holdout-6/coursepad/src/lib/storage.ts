import { createReadStream } from 'node:fs';
import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { config } from '../config.js';
import { BadRequest, NotFound } from './errors.js';

const CERT_DIR = path.join(config.storageRoot, 'certificates');
const MATERIALS_DIR = path.join(config.storageRoot, 'materials');

export async function saveCertificate(fileName: string, pdf: Buffer): Promise<void> {
  await mkdir(CERT_DIR, { recursive: true });
  await writeFile(path.join(CERT_DIR, fileName), pdf);
}

export function certificatePath(fileName: string): string {
  return path.join(CERT_DIR, fileName);
}

export async function openMaterial(courseId: string, name: string) {
  const base = path.resolve(MATERIALS_DIR, courseId);
  const target = path.resolve(base, name);
  if (!target.startsWith(base + path.sep)) {
    throw new BadRequest('invalid material name');
  }
  const info = await stat(target).catch(() => null);
  if (!info || !info.isFile()) throw new NotFound('material');
  return { stream: createReadStream(target), size: info.size };
}
