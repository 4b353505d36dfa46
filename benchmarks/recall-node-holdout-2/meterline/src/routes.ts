import express, { Router } from 'express';
import rateLimit from 'express-rate-limit';
import type { Container } from './container';
import { authenticate, requireMember, requireRole, validate } from './http/middleware';
import {
  AcceptInviteBody,
  ChangeRoleBody,
  CreateApiKeyBody,
  CreateEndpointBody,
  InviteBody,
  InvoicePreviewQuery,
  PageQuery,
  TestEndpointBody,
  TimeseriesQuery,
  TopMetersQuery,
  TopUpBody,
  UpdateWorkspaceBody,
  UsageBatchBody,
} from './http/schemas';

export function buildRouter(c: Container): Router {
  const { workspaces, billing, webhooks, reports, usage } = c.controllers;
  const api = Router();

  const ingestLimiter = rateLimit({
    windowMs: 60_000,
    limit: 600,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => req.get('x-api-key')?.split('.')[0] ?? req.ip ?? 'anon',
  });

  // --- public -----------------------------------------------------------------
  api.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  api.post('/stripe/webhook', express.raw({ type: 'application/json', limit: '512kb' }), webhooks.stripeEvent);

  // Usage chart for the embeddable status widget.
  api.get('/workspaces/:workspaceId/reports/usage', validate(TimeseriesQuery, 'query'), reports.timeseries);

  // --- authenticated ------------------------------------------------------------
  api.use(express.json({ limit: '256kb' }));
  api.use(authenticate(c.prisma, c.config));

  api.post('/invites/accept', validate(AcceptInviteBody), workspaces.acceptInvite);

  const ws = Router({ mergeParams: true });
  ws.use(requireMember(c.prisma));

  ws.get('/', workspaces.get);
  ws.patch('/', requireRole('OWNER', 'ADMIN'), validate(UpdateWorkspaceBody), workspaces.update);
  ws.delete('/', requireRole('OWNER'), workspaces.remove);

  ws.get('/members', validate(PageQuery, 'query'), workspaces.listMembers);
  ws.post('/members/invite', requireRole('OWNER', 'ADMIN'), validate(InviteBody), workspaces.invite);
  ws.patch('/members/:membershipId', validate(ChangeRoleBody), workspaces.changeRole);

  ws.get('/api-keys', requireRole('OWNER', 'ADMIN'), workspaces.listApiKeys);
  ws.post('/api-keys', requireRole('OWNER', 'ADMIN'), validate(CreateApiKeyBody), workspaces.createApiKey);
  ws.delete('/api-keys/:keyId', requireRole('OWNER', 'ADMIN'), workspaces.revokeApiKey);

  ws.post('/usage', ingestLimiter, validate(UsageBatchBody), usage.ingest);
  ws.get('/reports/top-meters', validate(TopMetersQuery, 'query'), reports.topMeters);

  ws.get('/wallet', billing.wallet);
  ws.get('/wallet/ledger', requireRole('OWNER', 'ADMIN', 'BILLING'), billing.ledger);
  ws.post('/wallet/top-up', requireRole('OWNER', 'BILLING'), validate(TopUpBody), billing.topUp);
  ws.post('/wallet/consume', billing.consume);

  ws.get('/invoices', requireRole('OWNER', 'ADMIN', 'BILLING'), billing.listInvoices);
  ws.get('/invoices/preview', requireRole('OWNER', 'ADMIN', 'BILLING'), validate(InvoicePreviewQuery, 'query'), billing.previewInvoice);
  ws.get('/invoices/:invoiceId', requireRole('OWNER', 'ADMIN', 'BILLING'), billing.getInvoice);
  ws.post('/invoices/:invoiceId/finalize', requireRole('OWNER', 'BILLING'), billing.finalizeInvoice);
  ws.post('/invoices/:invoiceId/pay', requireRole('OWNER', 'BILLING'), billing.payInvoice);

  ws.get('/webhook-endpoints', requireRole('OWNER', 'ADMIN'), webhooks.listEndpoints);
  ws.post('/webhook-endpoints', requireRole('OWNER', 'ADMIN'), validate(CreateEndpointBody), webhooks.createEndpoint);
  ws.post('/webhook-endpoints/test', requireRole('OWNER', 'ADMIN'), validate(TestEndpointBody), webhooks.testEndpoint);
  ws.delete('/webhook-endpoints/:endpointId', requireRole('OWNER', 'ADMIN'), webhooks.deleteEndpoint);

  api.use('/workspaces/:workspaceId', ws);
  return api;
}
