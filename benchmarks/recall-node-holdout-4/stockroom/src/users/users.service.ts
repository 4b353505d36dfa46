import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { createHash, randomBytes, timingSafeEqual } from 'crypto';
import { User } from './user.entity';
import { ApiKey } from './api-key.entity';
import { CreateUserDto } from './dto/create-user.dto';

@Injectable()
export class UsersService {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    @InjectRepository(ApiKey) private readonly apiKeys: Repository<ApiKey>,
  ) {}

  hashPassword(password: string): string {
    return createHash('sha256').update(password).digest('hex');
  }

  verifyPassword(password: string, storedHash: string): boolean {
    const candidate = Buffer.from(this.hashPassword(password), 'hex');
    const stored = Buffer.from(storedHash, 'hex');
    return candidate.length === stored.length && timingSafeEqual(candidate, stored);
  }

  async create(tenantId: string, dto: CreateUserDto): Promise<User> {
    const email = dto.email.toLowerCase();
    const exists = await this.users.exists({ where: { tenantId, email } });
    if (exists) {
      throw new ConflictException('A user with this email already exists in the tenant');
    }
    const user = this.users.create({
      tenantId,
      email,
      displayName: dto.displayName,
      role: dto.role,
      homeWarehouseId: dto.homeWarehouseId ?? null,
      passwordHash: this.hashPassword(dto.password),
    });
    return this.users.save(user);
  }

  async findInTenant(tenantId: string, id: string): Promise<User> {
    const user = await this.users.findOne({ where: { id, tenantId } });
    if (!user) throw new NotFoundException('User not found');
    return user;
  }

  async updateProfile(tenantId: string, id: string, patch: Partial<User>): Promise<User> {
    const user = await this.findInTenant(tenantId, id);
    Object.assign(user, patch);
    return this.users.save(user);
  }

  async listInTenant(tenantId: string, skip: number, take: number) {
    const [items, total] = await this.users.findAndCount({
      where: { tenantId },
      order: { displayName: 'ASC' },
      skip,
      take,
    });
    return { items, total };
  }

  async issueApiKey(tenantId: string, createdBy: string, label: string) {
    const raw = `sr_${randomBytes(24).toString('base64url')}`;
    const keyHash = createHash('sha256').update(raw).digest('hex');
    await this.apiKeys.save(
      this.apiKeys.create({ tenantId, createdBy, label, keyHash, keyPrefix: raw.slice(0, 8) }),
    );
    // Only time the raw key is ever returned.
    return { key: raw, prefix: raw.slice(0, 8) };
  }

  async findByApiKey(raw: string): Promise<ApiKey | null> {
    const keyHash = createHash('sha256').update(raw).digest('hex');
    return this.apiKeys.findOne({ where: { keyHash } });
  }
}
