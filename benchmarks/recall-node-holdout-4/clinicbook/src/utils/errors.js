export class AppError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export const notFound = (what = 'Resource') => new AppError(404, 'not_found', `${what} not found`);
export const forbidden = (msg = 'Forbidden') => new AppError(403, 'forbidden', msg);
export const badRequest = (msg, details) => new AppError(400, 'bad_request', msg, details);
export const conflict = (msg) => new AppError(409, 'conflict', msg);
export const unauthorized = (msg = 'Unauthorized') => new AppError(401, 'unauthorized', msg);
