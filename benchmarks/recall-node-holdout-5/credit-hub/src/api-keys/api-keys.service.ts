import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { ApiKey } from './api-key.entity';
import { hashKey, keyPrefix, randomKeyBody } from './key-format';

export const KEY_SCOPES = ['usage:write', 'usage:read', 'wallet:read'] as const;

export interface CreatedKey {
  id: string;
  label: string;
  key: string;
  scopes: string[];
}

@Injectable()
export class ApiKeysService {
  constructor(@InjectRepository(ApiKey) private readonly keys: Repository<ApiKey>) {}

  async create(orgId: string, userId: string, label: string, scopes: string[]): Promise<CreatedKey> {
    const raw = `chk_live_${randomKeyBody()}`;
    const key = await this.keys.save(
      this.keys.create({
        orgId,
        label,
        scopes,
        prefix: keyPrefix(raw),
        keyHash: hashKey(raw),
        createdBy: userId,
      }),
    );
    return { id: key.id, label: key.label, key: raw, scopes: key.scopes };
  }

  list(orgId: string): Promise<ApiKey[]> {
    return this.keys.find({
      where: { orgId, revokedAt: IsNull() },
      select: ['id', 'label', 'prefix', 'scopes', 'lastUsedAt', 'createdAt'],
      order: { createdAt: 'DESC' },
      take: 200,
    });
  }

  async revoke(orgId: string, keyId: string): Promise<void> {
    const result = await this.keys.update({ id: keyId, orgId, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (!result.affected) {
      throw new NotFoundException('API key not found');
    }
  }

  async resolve(rawKey: string): Promise<ApiKey | null> {
    const key = await this.keys.findOne({ where: { keyHash: hashKey(rawKey), revokedAt: IsNull() } });
    if (key) {
      await this.keys.update({ id: key.id }, { lastUsedAt: new Date() });
    }
    return key;
  }
}
