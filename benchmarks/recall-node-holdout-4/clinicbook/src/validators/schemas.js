import { body, param, query } from 'express-validator';

export const objectIdParam = (name) => param(name).isMongoId().withMessage(`${name} must be an id`);

export const registerRules = [
  body('email').isEmail().normalizeEmail().isLength({ max: 254 }),
  body('password').isString().isLength({ min: 10, max: 128 }),
  body('firstName').isString().trim().isLength({ min: 1, max: 80 }),
  body('lastName').isString().trim().isLength({ min: 1, max: 80 }),
  body('phone').optional().isMobilePhone('any'),
  body('clinicId').isMongoId(),
];

export const loginRules = [
  body('email').isString().isLength({ max: 254 }),
  body('password').isString().isLength({ max: 128 }),
];

export const refreshRules = [body('refreshToken').optional().isString().isLength({ max: 2048 })];

export const forgotRules = [body('email').isEmail().isLength({ max: 254 })];

export const resetRules = [
  body('token').isString().isLength({ min: 10, max: 200 }),
  body('password').isString().isLength({ min: 10, max: 128 }),
];

export const bookRules = [
  body('slotId').isMongoId(),
  body('patientId').optional().isMongoId(),
  body('reason').optional().isString().isLength({ max: 500 }),
];

export const cancelRules = [objectIdParam('appointmentId'), body('reason').optional().isString().isLength({ max: 500 })];

export const prepayRules = [objectIdParam('appointmentId'), body('amount').matches(/^\d{1,6}(\.\d{1,2})?$/)];

export const scheduleRules = [objectIdParam('clinicId'), query('date').isISO8601()];

export const slotsRules = [
  objectIdParam('clinicId'),
  query('from').isISO8601(),
  query('to').optional().isISO8601(),
  query('practitionerId').optional().isMongoId(),
];

export const patientRules = [
  body('firstName').optional().isString().isLength({ max: 80 }),
  body('lastName').optional().isString().isLength({ max: 80 }),
  body('email').optional().isEmail(),
  body('phone').optional().isString().isLength({ max: 32 }),
  body('dateOfBirth').optional().isISO8601(),
  body('notes').optional().isString().isLength({ max: 4000 }),
];

export const importDocumentRules = [
  objectIdParam('patientId'),
  body('sourceUrl').isURL({ protocols: ['https'], require_protocol: true }),
  body('kind').isIn(['referral', 'lab_result', 'insurance_card', 'other']),
];

export const invoiceRules = [
  objectIdParam('appointmentId'),
  body('extraItems').optional().isArray({ max: 20 }),
  body('extraItems.*.description').isString().isLength({ min: 1, max: 200 }),
  body('extraItems.*.quantity').isInt({ min: 1, max: 100 }),
  body('extraItems.*.unitPrice').isDecimal({ decimal_digits: '0,2' }),
];

export const roleRules = [objectIdParam('userId'), body('role').isString()];

export const monthRules = [objectIdParam('clinicId'), query('month').matches(/^\d{4}-(0[1-9]|1[0-2])$/)];

export const exportRules = [
  objectIdParam('clinicId'),
  query('from').optional().isISO8601(),
  query('to').optional().isISO8601(),
  query('status').optional().isString(),
];
