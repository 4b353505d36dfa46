CREATE TABLE clinics (
  id            SERIAL PRIMARY KEY,
  name          TEXT NOT NULL,
  city          TEXT NOT NULL,
  phone         TEXT,
  opening_hours TEXT
);

CREATE TABLE users (
  id              SERIAL PRIMARY KEY,
  email           TEXT NOT NULL UNIQUE,
  full_name       TEXT NOT NULL,
  role            TEXT NOT NULL CHECK (role IN ('doctor', 'nurse', 'billing', 'admin')),
  password_hash   TEXT,
  mfa_secret      TEXT,
  active          BOOLEAN NOT NULL DEFAULT FALSE,
  clinic_id       INTEGER REFERENCES clinics(id),
  last_login_at   TIMESTAMPTZ,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE staff_invites (
  id          SERIAL PRIMARY KEY,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  token_hash  TEXT NOT NULL UNIQUE,
  expires_at  TIMESTAMPTZ NOT NULL,
  accepted_at TIMESTAMPTZ
);

CREATE TABLE patients (
  id                   SERIAL PRIMARY KEY,
  mrn                  TEXT NOT NULL UNIQUE,
  first_name           TEXT NOT NULL,
  last_name            TEXT NOT NULL,
  date_of_birth        DATE NOT NULL,
  phone                TEXT NOT NULL UNIQUE,
  email                TEXT,
  address              TEXT,
  insurance_member_id  TEXT,
  created_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX patients_last_name_idx ON patients (last_name);

CREATE TABLE patient_login_codes (
  id          SERIAL PRIMARY KEY,
  patient_id  INTEGER NOT NULL REFERENCES patients(id),
  code_hash   TEXT NOT NULL,
  expires_at  TIMESTAMPTZ NOT NULL,
  used_at     TIMESTAMPTZ
);
CREATE INDEX patient_login_codes_patient_idx ON patient_login_codes (patient_id, expires_at);

CREATE TABLE appointments (
  id               SERIAL PRIMARY KEY,
  patient_id       INTEGER NOT NULL REFERENCES patients(id),
  practitioner_id  INTEGER NOT NULL REFERENCES users(id),
  clinic_id        INTEGER NOT NULL REFERENCES clinics(id),
  starts_at        TIMESTAMPTZ NOT NULL,
  duration_minutes INTEGER NOT NULL DEFAULT 20,
  visit_type       TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'booked',
  eligibility      TEXT NOT NULL DEFAULT 'unknown',
  reminder_sent_at TIMESTAMPTZ,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX appointments_practitioner_start_idx ON appointments (practitioner_id, starts_at);
CREATE INDEX appointments_patient_idx ON appointments (patient_id, starts_at DESC);
CREATE INDEX appointments_reminder_idx ON appointments (starts_at) WHERE reminder_sent_at IS NULL;

CREATE TABLE invoices (
  id           SERIAL PRIMARY KEY,
  patient_id   INTEGER NOT NULL REFERENCES patients(id),
  appointment_id INTEGER REFERENCES appointments(id),
  total        NUMERIC(12, 2) NOT NULL,
  amount_paid  NUMERIC(12, 2) NOT NULL DEFAULT 0,
  status       TEXT NOT NULL DEFAULT 'open',
  due_date     DATE NOT NULL,
  notes        TEXT,
  written_off_by INTEGER REFERENCES users(id),
  created_by   INTEGER REFERENCES users(id),
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX invoices_patient_idx ON invoices (patient_id, created_at DESC);
CREATE INDEX invoices_status_due_idx ON invoices (status, due_date);

CREATE TABLE invoice_items (
  id           SERIAL PRIMARY KEY,
  invoice_id   INTEGER NOT NULL REFERENCES invoices(id),
  description  TEXT NOT NULL,
  code         TEXT,
  quantity     INTEGER NOT NULL,
  unit_price   NUMERIC(12, 2) NOT NULL
);
CREATE INDEX invoice_items_invoice_idx ON invoice_items (invoice_id);

CREATE TABLE payments (
  id           SERIAL PRIMARY KEY,
  invoice_id   INTEGER NOT NULL REFERENCES invoices(id),
  amount       NUMERIC(12, 2) NOT NULL,
  method       TEXT NOT NULL,
  reference    TEXT,
  recorded_by  INTEGER REFERENCES users(id),
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX payments_invoice_idx ON payments (invoice_id);
CREATE UNIQUE INDEX payments_reference_uniq ON payments (method, reference) WHERE reference IS NOT NULL;

CREATE TABLE lab_results (
  id            SERIAL PRIMARY KEY,
  external_id   TEXT NOT NULL UNIQUE,
  patient_id    INTEGER NOT NULL REFERENCES patients(id),
  test_code     TEXT NOT NULL,
  test_name     TEXT NOT NULL,
  value         TEXT,
  unit          TEXT,
  reference_low  NUMERIC,
  reference_high NUMERIC,
  collected_at  TIMESTAMPTZ NOT NULL,
  reported_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX lab_results_patient_idx ON lab_results (patient_id, collected_at DESC);

CREATE TABLE job_cursors (
  name        TEXT PRIMARY KEY,
  cursor      TEXT NOT NULL,
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
