import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { Request } from 'express';
import { Observable, tap } from 'rxjs';

@Injectable()
export class RequestLoggingInterceptor implements NestInterceptor {
  private readonly logger = new Logger('HTTP');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const started = Date.now();
    const body = req.method === 'GET' ? '' : ` body=${JSON.stringify(req.body)}`;
    return next.handle().pipe(
      tap({
        next: () => this.logger.log(`${req.method} ${req.originalUrl} ${Date.now() - started}ms${body}`),
        error: (err: Error) => this.logger.warn(`${req.method} ${req.originalUrl} failed: ${err.message}${body}`),
      }),
    );
  }
}
