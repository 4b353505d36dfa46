-- labdesk schema (applied by migrations/; kept here as the reference copy)

CREATE TABLE clinics (
    id              BIGSERIAL PRIMARY KEY,
    name            TEXT NOT NULL,
    partner_account TEXT NOT NULL UNIQUE,
    price_tier      TEXT NOT NULL DEFAULT 'standard',
    credits         INTEGER NOT NULL DEFAULT 0 CHECK (credits >= 0),
    active          BOOLEAN NOT NULL DEFAULT TRUE,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE staff (
    id          BIGSERIAL PRIMARY KEY,
    clinic_id   BIGINT REFERENCES clinics(id),
    email       TEXT NOT NULL UNIQUE,
    roles       TEXT[] NOT NULL DEFAULT '{}',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE patients (
    id          BIGSERIAL PRIMARY KEY,
    clinic_id   BIGINT NOT NULL REFERENCES clinics(id),
    mrn         TEXT NOT NULL,
    full_name   TEXT NOT NULL,
    birth_date  DATE NOT NULL,
    phone       TEXT,
    email       TEXT,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (clinic_id, mrn)
);

CREATE TABLE orders (
    id              BIGSERIAL PRIMARY KEY,
    clinic_id       BIGINT NOT NULL REFERENCES clinics(id),
    patient_id      BIGINT NOT NULL REFERENCES patients(id),
    accession_no    TEXT NOT NULL UNIQUE,
    status          TEXT NOT NULL DEFAULT 'new',
    priority        TEXT NOT NULL DEFAULT 'routine',
    idempotency_key TEXT,
    partner_ref     TEXT,
    ordered_by      BIGINT NOT NULL REFERENCES staff(id),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (clinic_id, idempotency_key)
);
CREATE INDEX orders_clinic_created_idx ON orders (clinic_id, created_at DESC);
CREATE INDEX orders_patient_idx ON orders (patient_id);
CREATE INDEX orders_new_idx ON orders (created_at) WHERE status = 'new';

CREATE TABLE order_tests (
    id          BIGSERIAL PRIMARY KEY,
    order_id    BIGINT NOT NULL REFERENCES orders(id) ON DELETE CASCADE,
    test_code   TEXT NOT NULL,
    price       NUMERIC(10, 2) NOT NULL
);
CREATE INDEX order_tests_order_idx ON order_tests (order_id);

CREATE TABLE results (
    id            BIGSERIAL PRIMARY KEY,
    order_id      BIGINT NOT NULL REFERENCES orders(id),
    clinic_id     BIGINT NOT NULL REFERENCES clinics(id),
    patient_id    BIGINT NOT NULL REFERENCES patients(id),
    accession_no  TEXT NOT NULL,
    test_code     TEXT NOT NULL,
    value         TEXT,
    unit          TEXT,
    ref_range     TEXT,
    flag          TEXT,
    status        TEXT NOT NULL DEFAULT 'preliminary',
    released_at   TIMESTAMPTZ,
    released_by   BIGINT REFERENCES staff(id),
    received_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX results_patient_idx ON results (patient_id, received_at DESC);
CREATE INDEX results_order_idx ON results (order_id);
CREATE INDEX results_clinic_status_idx ON results (clinic_id, status);

CREATE TABLE result_attachments (
    id          BIGSERIAL PRIMARY KEY,
    result_id   BIGINT NOT NULL REFERENCES results(id),
    filename    TEXT NOT NULL,
    content     BYTEA NOT NULL,
    sha256      TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX result_attachments_result_idx ON result_attachments (result_id);

CREATE TABLE kit_stock (
    clinic_id   BIGINT NOT NULL REFERENCES clinics(id),
    kit_type    TEXT NOT NULL,
    available   INTEGER NOT NULL CHECK (available >= 0),
    PRIMARY KEY (clinic_id, kit_type)
);

CREATE TABLE credit_ledger (
    id          BIGSERIAL PRIMARY KEY,
    clinic_id   BIGINT NOT NULL REFERENCES clinics(id),
    delta       INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    order_id    BIGINT REFERENCES orders(id),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX credit_ledger_clinic_idx ON credit_ledger (clinic_id, created_at DESC);

CREATE TABLE notifications (
    id          BIGSERIAL PRIMARY KEY,
    result_id   BIGINT NOT NULL REFERENCES results(id),
    channel     TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'pending',
    attempts    INTEGER NOT NULL DEFAULT 0,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX notifications_pending_idx ON notifications (state) WHERE state = 'pending';

CREATE TABLE audit_log (
    id          BIGSERIAL PRIMARY KEY,
    actor_id    BIGINT NOT NULL,
    action      TEXT NOT NULL,
    target      TEXT NOT NULL,
    detail      JSONB NOT NULL DEFAULT '{}',
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE worker_state (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL
);
