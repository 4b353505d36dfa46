export class HttpError extends Error {
  constructor(public readonly statusCode: number, message: string, public readonly code?: string) {
    super(message);
    this.name = 'HttpError';
  }
}

export class BadRequest extends HttpError {
  constructor(message = 'bad request', code?: string) {
    super(400, message, code);
  }
}

export class Unauthorized extends HttpError {
  constructor(message = 'unauthorized') {
    super(401, message);
  }
}

export class Forbidden extends HttpError {
  constructor(message = 'forbidden') {
    super(403, message);
  }
}

export class NotFound extends HttpError {
  constructor(what = 'resource') {
    super(404, `${what} not found`);
  }
}

export class Conflict extends HttpError {
  constructor(message = 'conflict', code?: string) {
    super(409, message, code);
  }
}
