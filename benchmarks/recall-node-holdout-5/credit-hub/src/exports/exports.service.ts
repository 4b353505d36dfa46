import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import { LedgerEntry } from '../wallet/ledger-entry.entity';
import { formatCents } from '../common/utils/money';

export interface ExportFile {
  name: string;
  sizeBytes: number;
  createdAt: Date;
}

function csvCell(value: unknown): string {
  const s = value === null || value === undefined ? '' : String(value);
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

@Injectable()
export class ExportsService {
  private readonly root: string;
  private readonly maxRows: number;

  constructor(
    config: ConfigService,
    @InjectRepository(LedgerEntry) private readonly ledger: Repository<LedgerEntry>,
  ) {
    this.root = path.resolve(config.get<string>('exports.dir')!);
    this.maxRows = config.get<number>('exports.maxRows')!;
  }

  private orgDir(orgId: string): string {
    return path.join(this.root, orgId);
  }

  async createLedgerExport(orgId: string, from: Date, to: Date, currency: string): Promise<ExportFile> {
    if (to <= from) {
      throw new BadRequestException('"to" must be after "from"');
    }
    const rows = await this.ledger
      .createQueryBuilder('l')
      .where('l.org_id = :orgId AND l.created_at >= :from AND l.created_at < :to', { orgId, from, to })
      .orderBy('l.created_at', 'ASC')
      .limit(this.maxRows)
      .getMany();

    const header = 'date,kind,amount,balance_after,memo,reference';
    const body = rows
      .map((r) =>
        [
          r.createdAt.toISOString(),
          r.kind,
          formatCents(r.amountCents, currency),
          formatCents(r.balanceAfterCents, currency),
          csvCell(r.memo),
          csvCell(r.referenceId),
        ].join(','),
      )
      .join('\n');

    const name = `ledger-${from.toISOString().slice(0, 10)}-${to.toISOString().slice(0, 10)}-${Date.now()}.csv.gz`;
    const dir = this.orgDir(orgId);
    fs.mkdirSync(dir, { recursive: true });
    const gz = zlib.gzipSync(`${header}\n${body}\n`, { level: 9 });
    fs.writeFileSync(path.join(dir, name), gz);
    return { name, sizeBytes: gz.length, createdAt: new Date() };
  }

  async list(orgId: string): Promise<ExportFile[]> {
    const dir = this.orgDir(orgId);
    let names: string[];
    try {
      names = await fs.promises.readdir(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return [];
      }
      throw err;
    }
    const files = await Promise.all(
      names
        .filter((n) => n.endsWith('.csv.gz'))
        .slice(0, 100)
        .map(async (name) => {
          const st = await fs.promises.stat(path.join(dir, name));
          return { name, sizeBytes: st.size, createdAt: st.mtime };
        }),
    );
    return files.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  }

  resolveDownload(orgId: string, fileName: string): string {
    const file = path.join(this.orgDir(orgId), fileName);
    if (!fs.existsSync(file)) {
      throw new NotFoundException('Export not found');
    }
    return file;
  }

  async remove(orgId: string, fileName: string): Promise<void> {
    const dir = this.orgDir(orgId);
    const target = path.resolve(dir, path.basename(fileName));
    if (!target.startsWith(dir + path.sep) || !target.endsWith('.csv.gz')) {
      throw new BadRequestException('Invalid export name');
    }
    await fs.promises.rm(target, { force: true });
  }
}
