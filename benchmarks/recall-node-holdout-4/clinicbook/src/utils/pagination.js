import { config } from '../config/index.js';

export function parsePagination(query) {
  const page = Math.max(1, Number.parseInt(query.page, 10) || 1);
  const requested = Number.parseInt(query.limit, 10) || config.pagination.defaultLimit;
  const limit = Math.min(Math.max(requested, 1), config.pagination.maxLimit);
  return { page, limit, skip: (page - 1) * limit };
}

export function pageEnvelope(items, total, { page, limit }) {
  return {
    items,
    page,
    limit,
    total,
    pages: Math.ceil(total / limit),
  };
}
