import { validationResult } from 'express-validator';
import { badRequest } from '../utils/errors.js';

export function validate(chains) {
  return async (req, _res, next) => {
    for (const chain of chains) {
      // eslint-disable-next-line no-await-in-loop
      await chain.run(req);
    }
    const result = validationResult(req);
    if (!result.isEmpty()) {
      return next(badRequest('Validation failed', result.array({ onlyFirstError: true })));
    }
    return next();
  };
}
