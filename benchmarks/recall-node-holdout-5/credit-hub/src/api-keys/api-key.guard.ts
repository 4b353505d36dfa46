import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { ApiKeysService } from './api-keys.service';

/** Authenticates machine-to-machine calls with an org API key; sets request.apiKey. */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(private readonly keys: ApiKeysService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest();
    const raw = request.headers['x-api-key'];
    if (typeof raw !== 'string' || !raw.startsWith('chk_live_')) {
      throw new UnauthorizedException();
    }
    const key = await this.keys.resolve(raw);
    if (!key) {
      throw new UnauthorizedException();
    }
    if (request.params?.orgId && request.params.orgId !== key.orgId) {
      throw new ForbiddenException();
    }
    request.apiKey = key;
    return true;
  }
}
