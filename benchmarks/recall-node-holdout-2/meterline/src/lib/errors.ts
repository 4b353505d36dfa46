export class AppError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const notFound = (what: string): AppError => new AppError(404, 'not_found', `${what} not found`);
export const forbidden = (): AppError => new AppError(403, 'forbidden', 'You do not have access to this resource');
export const unauthorized = (msg = 'Authentication required'): AppError => new AppError(401, 'unauthenticated', msg);
export const conflict = (msg: string): AppError => new AppError(409, 'conflict', msg);
export const unprocessable = (msg: string): AppError => new AppError(422, 'unprocessable', msg);
