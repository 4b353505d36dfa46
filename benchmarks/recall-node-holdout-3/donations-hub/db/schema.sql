-- donations-hub schema. Amounts are integer minor units (cents).

CREATE TABLE IF NOT EXISTS donors (
  id              BIGSERIAL PRIMARY KEY,
  email           CITEXT NOT NULL UNIQUE,
  password_hash   TEXT NOT NULL,
  display_name    TEXT NOT NULL,
  address_line    TEXT,
  city            TEXT,
  postcode        TEXT,
  country         CHAR(2),
  role            TEXT NOT NULL DEFAULT 'donor' CHECK (role IN ('donor', 'organizer', 'admin')),
  email_verified  BOOLEAN NOT NULL DEFAULT FALSE,
  marketing_opt_in BOOLEAN NOT NULL DEFAULT FALSE,
  reset_token_hash TEXT,
  reset_expires_at TIMESTAMPTZ,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS campaigns (
  id              BIGSERIAL PRIMARY KEY,
  organizer_id    BIGINT NOT NULL REFERENCES donors(id),
  slug            TEXT NOT NULL UNIQUE,
  title           TEXT NOT NULL,
  summary         TEXT NOT NULL DEFAULT '',
  category        TEXT NOT NULL,
  goal_cents      BIGINT NOT NULL CHECK (goal_cents > 0),
  raised_cents    BIGINT NOT NULL DEFAULT 0,
  currency        CHAR(3) NOT NULL DEFAULT 'EUR',
  status          TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'active', 'closed')),
  cover_path      TEXT,
  featured_rank   INTEGER,
  payout_account  TEXT,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS campaigns_status_created_idx ON campaigns (status, created_at DESC);
CREATE INDEX IF NOT EXISTS campaigns_organizer_idx ON campaigns (organizer_id);
CREATE INDEX IF NOT EXISTS campaigns_search_idx
  ON campaigns USING GIN (to_tsvector('english', title || ' ' || summary));

CREATE TABLE IF NOT EXISTS payouts (
  id              BIGSERIAL PRIMARY KEY,
  campaign_id     BIGINT NOT NULL REFERENCES campaigns(id),
  amount_cents    BIGINT NOT NULL,
  transfer_ref    TEXT UNIQUE,
  status          TEXT NOT NULL DEFAULT 'pending',
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS payouts_campaign_idx ON payouts (campaign_id);

CREATE TABLE IF NOT EXISTS donations (
  id              BIGSERIAL PRIMARY KEY,
  campaign_id     BIGINT NOT NULL REFERENCES campaigns(id),
  donor_id        BIGINT REFERENCES donors(id),
  amount_cents    BIGINT NOT NULL CHECK (amount_cents > 0),
  fee_cents       BIGINT NOT NULL DEFAULT 0,
  matched_cents   BIGINT NOT NULL DEFAULT 0,
  currency        CHAR(3) NOT NULL,
  public_name     TEXT,
  message         TEXT,
  charge_id       TEXT UNIQUE,
  idempotency_key TEXT NOT NULL UNIQUE,
  status          TEXT NOT NULL DEFAULT 'pending',
  payout_id       BIGINT REFERENCES payouts(id),
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS donations_campaign_created_idx ON donations (campaign_id, created_at DESC);
CREATE INDEX IF NOT EXISTS donations_unpaid_idx ON donations (campaign_id) WHERE payout_id IS NULL AND status = 'succeeded';

CREATE TABLE IF NOT EXISTS match_pools (
  id              BIGSERIAL PRIMARY KEY,
  campaign_id     BIGINT NOT NULL REFERENCES campaigns(id),
  sponsor_name    TEXT NOT NULL,
  remaining_cents BIGINT NOT NULL CHECK (remaining_cents >= 0),
  ratio_pct       INTEGER NOT NULL DEFAULT 100,
  active          BOOLEAN NOT NULL DEFAULT TRUE
);
CREATE INDEX IF NOT EXISTS match_pools_campaign_idx ON match_pools (campaign_id) WHERE active;

CREATE TABLE IF NOT EXISTS webhook_events (
  id              TEXT PRIMARY KEY,
  type            TEXT NOT NULL,
  received_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
