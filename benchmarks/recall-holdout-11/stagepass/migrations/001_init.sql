CREATE TABLE users (
    id                BIGSERIAL PRIMARY KEY,
    email             TEXT NOT NULL,
    password_hash     TEXT NOT NULL,
    display_name      TEXT NOT NULL,
    phone             TEXT,
    locale            TEXT NOT NULL DEFAULT 'en',
    marketing_opt_in  BOOLEAN NOT NULL DEFAULT FALSE,
    role              TEXT NOT NULL DEFAULT 'buyer' CHECK (role IN ('buyer', 'organiser', 'admin')),
    is_active         BOOLEAN NOT NULL DEFAULT TRUE,
    email_verified    BOOLEAN NOT NULL DEFAULT FALSE,
    payout_account_id TEXT,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_lower_uq ON users (lower(email));

CREATE TABLE password_resets (
    user_id    BIGINT PRIMARY KEY REFERENCES users (id),
    code_hash  TEXT NOT NULL,
    attempts   INT NOT NULL DEFAULT 0,
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE venues (
    id       BIGSERIAL PRIMARY KEY,
    name     TEXT NOT NULL,
    city     TEXT NOT NULL,
    capacity INT NOT NULL
);
CREATE INDEX venues_city_idx ON venues (city);

CREATE TABLE events (
    id           BIGSERIAL PRIMARY KEY,
    organiser_id BIGINT NOT NULL REFERENCES users (id),
    venue_id     BIGINT NOT NULL REFERENCES venues (id),
    title        TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    category     TEXT NOT NULL,
    starts_at    TIMESTAMPTZ NOT NULL,
    status       TEXT NOT NULL DEFAULT 'draft',
    poster_url   TEXT
);
CREATE INDEX events_status_starts_idx ON events (status, starts_at);
CREATE INDEX events_organiser_idx ON events (organiser_id);

CREATE TABLE ticket_tiers (
    id        BIGSERIAL PRIMARY KEY,
    event_id  BIGINT NOT NULL REFERENCES events (id),
    name      TEXT NOT NULL,
    price     NUMERIC(10, 2) NOT NULL CHECK (price >= 0),
    currency  CHAR(3) NOT NULL,
    remaining INT NOT NULL CHECK (remaining >= 0)
);
CREATE INDEX ticket_tiers_event_idx ON ticket_tiers (event_id);

CREATE TABLE promo_codes (
    id          BIGSERIAL PRIMARY KEY,
    event_id    BIGINT NOT NULL REFERENCES events (id),
    code        TEXT NOT NULL,
    percent_off INT NOT NULL CHECK (percent_off BETWEEN 1 AND 100),
    uses        INT NOT NULL DEFAULT 0,
    max_uses    INT NOT NULL,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    valid_until TIMESTAMPTZ,
    UNIQUE (event_id, code)
);

CREATE TABLE orders (
    id              BIGSERIAL PRIMARY KEY,
    reference       TEXT NOT NULL UNIQUE,
    user_id         BIGINT NOT NULL REFERENCES users (id),
    event_id        BIGINT NOT NULL REFERENCES events (id),
    promo_id        BIGINT REFERENCES promo_codes (id),
    status          TEXT NOT NULL,
    subtotal        NUMERIC(12, 2) NOT NULL,
    fee             NUMERIC(12, 2) NOT NULL,
    discount        NUMERIC(12, 2) NOT NULL DEFAULT 0,
    total           NUMERIC(12, 2) NOT NULL,
    currency        CHAR(3) NOT NULL,
    idempotency_key TEXT NOT NULL,
    charge_id       TEXT UNIQUE,
    hold_expires_at TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    paid_at         TIMESTAMPTZ,
    UNIQUE (user_id, idempotency_key)
);
CREATE INDEX orders_user_id_idx ON orders (user_id, id DESC);
CREATE INDEX orders_pending_hold_idx ON orders (hold_expires_at) WHERE status = 'pending';
CREATE INDEX orders_event_paid_idx ON orders (event_id, status, paid_at);
CREATE INDEX orders_paid_at_idx ON orders (paid_at) WHERE status = 'paid';

CREATE TABLE order_lines (
    id         BIGSERIAL PRIMARY KEY,
    order_id   BIGINT NOT NULL REFERENCES orders (id),
    tier_id    BIGINT NOT NULL REFERENCES ticket_tiers (id),
    quantity   INT NOT NULL CHECK (quantity > 0),
    unit_price NUMERIC(10, 2) NOT NULL
);
CREATE INDEX order_lines_order_idx ON order_lines (order_id);

CREATE TABLE tickets (
    id            BIGSERIAL PRIMARY KEY,
    order_id      BIGINT NOT NULL REFERENCES orders (id),
    event_id      BIGINT NOT NULL REFERENCES events (id),
    tier_id       BIGINT NOT NULL REFERENCES ticket_tiers (id),
    code          TEXT NOT NULL,
    gate          TEXT,
    checked_in_at TIMESTAMPTZ,
    voided_at     TIMESTAMPTZ
);
CREATE INDEX tickets_order_idx ON tickets (order_id);
CREATE INDEX tickets_event_tier_idx ON tickets (event_id, tier_id);

CREATE TABLE refunds (
    id                 BIGSERIAL PRIMARY KEY,
    order_id           BIGINT NOT NULL REFERENCES orders (id),
    amount             NUMERIC(12, 2) NOT NULL,
    provider_refund_id TEXT NOT NULL,
    requested_by       BIGINT NOT NULL REFERENCES users (id),
    reason             TEXT NOT NULL,
    created_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE payouts (
    id           BIGSERIAL PRIMARY KEY,
    organiser_id BIGINT NOT NULL REFERENCES users (id),
    period_start DATE NOT NULL,
    amount       NUMERIC(12, 2) NOT NULL,
    currency     CHAR(3) NOT NULL,
    status       TEXT NOT NULL,
    transfer_id  TEXT,
    sent_at      TIMESTAMPTZ,
    UNIQUE (organiser_id, period_start, currency)
);
