"""Database schema. Applied by `ticket-desk init-db`; later changes go through migrations/."""

SCHEMA = [
    """
    CREATE TABLE IF NOT EXISTS organisations (
        id              bigserial PRIMARY KEY,
        name            text NOT NULL,
        plan            text NOT NULL DEFAULT 'standard',
        support_credits integer NOT NULL DEFAULT 0,
        created_at      timestamptz NOT NULL DEFAULT now()
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS users (
        id            bigserial PRIMARY KEY,
        org_id        bigint NOT NULL REFERENCES organisations(id),
        email         text NOT NULL UNIQUE,
        name          text NOT NULL,
        password_hash text NOT NULL,
        role          text NOT NULL DEFAULT 'customer',
        is_active     boolean NOT NULL DEFAULT true,
        created_at    timestamptz NOT NULL DEFAULT now()
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS tickets (
        id           bigserial PRIMARY KEY,
        org_id       bigint NOT NULL REFERENCES organisations(id),
        requester_id bigint NOT NULL REFERENCES users(id),
        assignee_id  bigint REFERENCES users(id),
        subject      text NOT NULL,
        body         text NOT NULL,
        status       text NOT NULL DEFAULT 'open',
        priority     text NOT NULL DEFAULT 'normal',
        merged_into  bigint REFERENCES tickets(id),
        sla_due_at   timestamptz,
        escalated_at timestamptz,
        created_at   timestamptz NOT NULL DEFAULT now(),
        updated_at   timestamptz NOT NULL DEFAULT now(),
        closed_at    timestamptz
    )
    """,
    "CREATE INDEX IF NOT EXISTS tickets_org_status_idx ON tickets (org_id, status, created_at DESC)",
    "CREATE INDEX IF NOT EXISTS tickets_requester_idx ON tickets (requester_id)",
    "CREATE INDEX IF NOT EXISTS tickets_sla_idx ON tickets (sla_due_at) WHERE escalated_at IS NULL",
    """
    CREATE TABLE IF NOT EXISTS comments (
        id         bigserial PRIMARY KEY,
        ticket_id  bigint NOT NULL REFERENCES tickets(id),
        author_id  bigint REFERENCES users(id),
        body       text NOT NULL,
        internal   boolean NOT NULL DEFAULT false,
        message_id text UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS ticket_tags (
        ticket_id bigint NOT NULL REFERENCES tickets(id) ON DELETE CASCADE,
        tag       text NOT NULL,
        PRIMARY KEY (ticket_id, tag)
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS attachments (
        id           uuid PRIMARY KEY,
        ticket_id    bigint NOT NULL REFERENCES tickets(id),
        filename     text NOT NULL,
        stored_name  text NOT NULL,
        content_type text NOT NULL,
        size_bytes   bigint NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
    )
    """,
    "CREATE INDEX IF NOT EXISTS attachments_ticket_idx ON attachments (ticket_id)",
    """
    CREATE TABLE IF NOT EXISTS ticket_events (
        id         bigserial PRIMARY KEY,
        ticket_id  bigint NOT NULL REFERENCES tickets(id),
        actor_id   bigint REFERENCES users(id),
        kind       text NOT NULL,
        detail     jsonb NOT NULL DEFAULT '{}'::jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS payments (
        id           bigserial PRIMARY KEY,
        org_id       bigint NOT NULL REFERENCES organisations(id),
        provider_ref text NOT NULL,
        amount_cents bigint NOT NULL,
        credits      integer NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
    )
    """,
]
