import { CanActivate, ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bull';
import { Queue } from 'bull';

const WINDOW_SECONDS = 15 * 60;
const MAX_ATTEMPTS = 10;

/** Fixed-window attempt counter per IP+email, kept in the Redis instance bull already uses. */
@Injectable()
export class LoginThrottleGuard implements CanActivate {
  constructor(@InjectQueue('webhooks') private readonly queue: Queue) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest();
    const email = String(request.body?.email ?? '').toLowerCase();
    const key = `throttle:login:${request.ip}:${email}`;
    const redis = this.queue.client;
    const attempts = await redis.incr(key);
    if (attempts === 1) {
      await redis.expire(key, WINDOW_SECONDS);
    }
    if (attempts > MAX_ATTEMPTS) {
      throw new HttpException('Too many attempts, try again later', HttpStatus.TOO_MANY_REQUESTS);
    }
    return true;
  }
}
