import { z } from 'zod';

const cuid = z.string().min(20).max(32);

export const WorkspaceIdParams = z.object({ workspaceId: cuid });

export const UpdateWorkspaceBody = z
  .object({
    name: z.string().min(1).max(120).optional(),
    billingEmail: z.string().email().optional(),
  })
  .passthrough();
export type UpdateWorkspaceInput = z.infer<typeof UpdateWorkspaceBody>;

export const InviteBody = z.object({
  email: z.string().email().max(320),
  role: z.enum(['ADMIN', 'MEMBER', 'BILLING']),
});

export const AcceptInviteBody = z.object({ token: z.string().min(20).max(2048) });

export const ChangeRoleBody = z.object({ role: z.enum(['OWNER', 'ADMIN', 'MEMBER', 'BILLING']) });

export const PageQuery = z.object({
  cursor: z.string().max(32).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

export const CreateApiKeyBody = z.object({ name: z.string().min(1).max(80) }).strict();

export const UsageBatchBody = z.object({
  records: z
    .array(
      z.object({
        meter: z.string().regex(/^[a-z0-9_.-]{1,64}$/),
        quantity: z.number().int().positive().max(1_000_000_000),
        occurredAt: z.coerce.date(),
        idempotencyKey: z.string().min(8).max(128),
      }),
    )
    .min(1)
    .max(500),
});
export type UsageRecordInput = z.infer<typeof UsageBatchBody>['records'][number];

export const TopUpBody = z.object({
  amountCents: z.number().int().min(500).max(5_000_000),
});

export const CreateEndpointBody = z
  .object({
    url: z.string().url().max(2048),
    description: z.string().max(200).optional(),
    events: z.array(z.enum(['invoice.created', 'invoice.paid', 'wallet.low_balance', 'usage.threshold'])).min(1),
  })
  .strict();
export type CreateEndpointInput = z.infer<typeof CreateEndpointBody>;

export const TestEndpointBody = z.object({ url: z.string().url().max(2048) });

export const TimeseriesQuery = z.object({
  meter: z.string().max(64),
  from: z.coerce.date(),
  to: z.coerce.date(),
  granularity: z.string().default('day'),
});

export const TopMetersQuery = z.object({
  from: z.coerce.date(),
  to: z.coerce.date(),
  sort: z.enum(['quantity', 'records']).default('quantity'),
  limit: z.coerce.number().int().min(1).max(50).default(10),
});

export const InvoicePreviewQuery = z.object({
  currency: z.string().length(3).toLowerCase().default('usd'),
});
