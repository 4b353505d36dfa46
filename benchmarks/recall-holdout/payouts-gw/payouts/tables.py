from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    UniqueConstraint,
    func,
)

metadata = MetaData()

merchants = Table(
    "merchants",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(120), nullable=False),
    Column("api_key_hash", String(64), nullable=False, unique=True),
    Column("dashboard_email", String(200), unique=True),
    Column("dashboard_password_hash", String(200)),
    Column("webhook_url", String(500)),
    Column("webhook_secret", String(64)),
    Column("payout_account_enc", LargeBinary),
    Column("fee_bps", Integer, nullable=False, server_default="50"),
    Column("daily_limit", Numeric(14, 2), nullable=False, server_default="10000"),
    Column("status", String(16), nullable=False, server_default="active"),
    Column("is_admin", Boolean, nullable=False, server_default="false"),
)

balances = Table(
    "balances",
    metadata,
    Column("merchant_id", ForeignKey("merchants.id"), primary_key=True),
    Column("currency", String(3), primary_key=True),
    Column("available", Numeric(14, 2), nullable=False, server_default="0"),
)

payouts = Table(
    "payouts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("merchant_id", ForeignKey("merchants.id"), nullable=False, index=True),
    Column("beneficiary_id", ForeignKey("beneficiaries.id"), nullable=False),
    Column("merchant_ref", String(64), nullable=False),
    Column("amount", Numeric(14, 2), nullable=False),
    Column("fee", Numeric(14, 2), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("status", String(16), nullable=False, server_default="pending"),
    Column("bank_ref", String(64)),
    Column("created_at", DateTime(timezone=True), server_default=func.now()),
    Index("ix_payouts_status_created", "status", "created_at"),
)

beneficiaries = Table(
    "beneficiaries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("merchant_id", ForeignKey("merchants.id"), nullable=False, index=True),
    Column("name", String(120), nullable=False),
    Column("iban", String(34), nullable=False),
    Column("bic", String(11)),
)

ledger = Table(
    "ledger",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("merchant_id", ForeignKey("merchants.id"), nullable=False, index=True),
    Column("payout_id", ForeignKey("payouts.id")),
    Column("delta", Numeric(14, 2), nullable=False),
    Column("currency", String(3), nullable=False),
    Column("reason", String(32), nullable=False),
    Column("created_at", DateTime(timezone=True), server_default=func.now()),
)

bank_events = Table(
    "bank_events",
    metadata,
    Column("event_id", String(64), primary_key=True),
    Column("payout_id", ForeignKey("payouts.id")),
    Column("type", String(32), nullable=False),
    Column("received_at", DateTime(timezone=True), server_default=func.now()),
    UniqueConstraint("event_id", name="uq_bank_events_event_id"),
)
