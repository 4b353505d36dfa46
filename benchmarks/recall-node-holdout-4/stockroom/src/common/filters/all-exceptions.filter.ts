import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { Request, Response } from 'express';
import { QueryFailedError } from 'typeorm';

@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  catch(exception: unknown, host: ArgumentsHost) {
    const ctx = host.switchToHttp();
    const res = ctx.getResponse<Response>();
    const req = ctx.getRequest<Request>();

    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      res.status(status).json(typeof body === 'string' ? { statusCode: status, message: body } : body);
      return;
    }

    if (exception instanceof QueryFailedError && (exception as any).driverError?.code === '23505') {
      res.status(HttpStatus.CONFLICT).json({ statusCode: 409, message: 'Duplicate record' });
      return;
    }

    const err = exception as Error;
    this.logger.error(`${req.method} ${req.url} failed: ${err?.message}`, err?.stack);
    res.status(HttpStatus.INTERNAL_SERVER_ERROR).json({
      statusCode: 500,
      message: 'Internal server error',
      error: err?.name,
      detail: err?.message,
      trace: err?.stack?.split('\n').slice(0, 8),
      path: req.url,
    });
  }
}
