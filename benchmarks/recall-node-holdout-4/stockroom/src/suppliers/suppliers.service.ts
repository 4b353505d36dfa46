import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { HttpService } from '@nestjs/axios';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { firstValueFrom } from 'rxjs';
import { Supplier } from './supplier.entity';
import { CreateSupplierDto, PreviewFeedDto } from './dto/supplier.dto';
import { SecretBoxService } from '../common/crypto/secret-box.service';
import { parsePriceListCsv } from './price-list.parser';

@Injectable()
export class SuppliersService {
  constructor(
    @InjectRepository(Supplier) private readonly suppliers: Repository<Supplier>,
    private readonly secretBox: SecretBoxService,
    private readonly http: HttpService,
  ) {}

  async create(tenantId: string, dto: CreateSupplierDto) {
    const supplier = this.suppliers.create({
      tenantId,
      name: dto.name,
      contactEmail: dto.contactEmail ?? null,
      priceListUrl: dto.priceListUrl ?? null,
      leadTimeDays: dto.leadTimeDays ?? 7,
      encryptedCredentials: dto.portalCredentials ? this.secretBox.seal(dto.portalCredentials) : null,
    });
    const saved = await this.suppliers.save(supplier);
    return this.present(saved);
  }

  async list(tenantId: string, skip: number, take: number) {
    const [rows, total] = await this.suppliers.findAndCount({
      where: { tenantId },
      order: { name: 'ASC' },
      skip,
      take,
    });
    return { items: rows.map((s) => this.present(s)), total };
  }

  async get(tenantId: string, id: string) {
    const supplier = await this.suppliers.findOne({ where: { id, tenantId } });
    if (!supplier) throw new NotFoundException('Supplier not found');
    return supplier;
  }

  present(supplier: Supplier) {
    const { encryptedCredentials, ...rest } = supplier;
    return { ...rest, hasCredentials: Boolean(encryptedCredentials) };
  }

  private async fetchText(url: string): Promise<string> {
    const { data } = await firstValueFrom(
      this.http.get<string>(url, { responseType: 'text', maxContentLength: 2 * 1024 * 1024 }),
    );
    return data;
  }

  async previewFeed(dto: PreviewFeedDto) {
    const body = await this.fetchText(dto.feedUrl);
    if ((dto.format ?? 'csv') === 'json') {
      try {
        const parsed = JSON.parse(body);
        return { rows: Array.isArray(parsed) ? parsed.slice(0, 20) : [], raw: null };
      } catch {
        throw new BadRequestException('Feed is not valid JSON');
      }
    }
    try {
      return { rows: parsePriceListCsv(body, 20), raw: null };
    } catch (err) {
      return { rows: [], raw: body.slice(0, 2000) };
    }
  }

  portalCredentials(supplier: Supplier): string | null {
    return supplier.encryptedCredentials ? this.secretBox.open(supplier.encryptedCredentials) : null;
  }
}
