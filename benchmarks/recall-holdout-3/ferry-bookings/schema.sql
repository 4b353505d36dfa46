CREATE TABLE customers (
    id            bigserial PRIMARY KEY,
    email         text NOT NULL UNIQUE,
    password_hash text NOT NULL,
    full_name     text NOT NULL DEFAULT '',
    role          text NOT NULL DEFAULT 'customer',
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE password_resets (
    id          bigserial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES customers(id),
    token       text NOT NULL UNIQUE,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);

CREATE TABLE sailings (
    id               bigserial PRIMARY KEY,
    route_code       text NOT NULL,
    origin_port      text NOT NULL,
    destination_port text NOT NULL,
    vessel_name      text NOT NULL,
    departs_at       timestamptz NOT NULL,
    arrives_at       timestamptz NOT NULL,
    distance_nm      numeric(6,1) NOT NULL,
    seats_available  integer NOT NULL CHECK (seats_available >= 0),
    lane_metres_free numeric(7,1) NOT NULL CHECK (lane_metres_free >= 0),
    status           text NOT NULL DEFAULT 'scheduled'
);
CREATE INDEX sailings_search_idx ON sailings (origin_port, destination_port, departs_at);
CREATE INDEX sailings_route_idx ON sailings (route_code, departs_at);

CREATE TABLE fares_summer (
    route_code   text NOT NULL,
    fare_class   text NOT NULL,
    base_fare    numeric(10,2) NOT NULL,
    vehicle_fare numeric(10,2) NOT NULL,
    PRIMARY KEY (route_code, fare_class)
);
CREATE TABLE fares_winter (LIKE fares_summer INCLUDING ALL);

CREATE TABLE bookings (
    id                   bigserial PRIMARY KEY,
    reference            text NOT NULL UNIQUE,
    customer_id          bigint NOT NULL REFERENCES customers(id),
    sailing_id           bigint NOT NULL REFERENCES sailings(id),
    status               text NOT NULL,
    total_fare           numeric(10,2) NOT NULL,
    passenger_count      integer NOT NULL,
    vehicle_registration text,
    charge_id            text,
    idempotency_key      text NOT NULL,
    hold_expires_at      timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    UNIQUE (customer_id, idempotency_key)
);
CREATE INDEX bookings_customer_idx ON bookings (customer_id, created_at DESC);
CREATE INDEX bookings_sailing_idx ON bookings (sailing_id, status);
CREATE INDEX bookings_held_idx ON bookings (hold_expires_at) WHERE status = 'held';

CREATE TABLE passengers (
    id              bigserial PRIMARY KEY,
    booking_id      bigint NOT NULL REFERENCES bookings(id),
    full_name       text NOT NULL,
    date_of_birth   date NOT NULL,
    nationality     char(2) NOT NULL,
    document_number text NOT NULL
);
CREATE INDEX passengers_booking_idx ON passengers (booking_id);

CREATE TABLE refunds (
    id                bigserial PRIMARY KEY,
    booking_id        bigint NOT NULL REFERENCES bookings(id),
    amount            numeric(10,2) NOT NULL,
    reason            text NOT NULL,
    status            text NOT NULL,
    gateway_refund_id text UNIQUE,
    settled_at        timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE outbox (
    id         bigserial PRIMARY KEY,
    topic      text NOT NULL,
    payload    jsonb NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz
);
CREATE INDEX outbox_pending_idx ON outbox (id) WHERE sent_at IS NULL;
