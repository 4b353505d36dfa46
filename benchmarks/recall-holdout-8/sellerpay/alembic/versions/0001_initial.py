"""initial schema

Revision ID: 0001_initial
Revises:
Create Date: 2026-09-14 10:02:11
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

MONEY = sa.Numeric(14, 2)


def upgrade() -> None:
    role = sa.Enum("seller", "support", "finance", "admin", name="role")
    seller_status = sa.Enum("pending_kyc", "active", "frozen", "closed", name="seller_status")
    payout_status = sa.Enum(
        "requested", "approved", "submitted", "paid", "failed", "cancelled", name="payout_status"
    )

    op.create_table(
        "sellers",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("display_name", sa.String(120), nullable=False),
        sa.Column("legal_name", sa.String(200)),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("role", role, nullable=False, server_default="seller"),
        sa.Column("status", seller_status, nullable=False, server_default="pending_kyc"),
        sa.Column("fee_rate_bps", sa.Integer, nullable=False, server_default="250"),
        sa.Column("payout_schedule", sa.String(16), nullable=False, server_default="weekly"),
        sa.Column("risk_score", sa.Float, nullable=False, server_default="0"),
        sa.Column("provider_account_id", sa.String(64)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )
    op.create_index("ix_sellers_email", "sellers", ["email"], unique=True)
    op.create_index("ix_sellers_status", "sellers", ["status"])

    op.create_table(
        "bank_accounts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("seller_id", sa.String(36), sa.ForeignKey("sellers.id"), nullable=False),
        sa.Column("holder_name", sa.String(200), nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("last4", sa.String(4), nullable=False),
        sa.Column("provider_token", sa.String(128), nullable=False),
        sa.Column("is_default", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )
    op.create_index("ix_bank_accounts_seller_id", "bank_accounts", ["seller_id"])

    op.create_table(
        "balances",
        sa.Column("seller_id", sa.String(36), sa.ForeignKey("sellers.id"), primary_key=True),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("available", MONEY, nullable=False, server_default="0"),
        sa.Column("pending", MONEY, nullable=False, server_default="0"),
        sa.CheckConstraint("pending >= 0", name="ck_balances_pending_non_negative"),
    )

    op.create_table(
        "ledger_entries",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("seller_id", sa.String(36), sa.ForeignKey("sellers.id"), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("reference", sa.String(64)),
        sa.Column("memo", sa.String(255)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )
    op.create_index("ix_ledger_seller_created", "ledger_entries", ["seller_id", "created_at"])
    op.create_index("ix_ledger_entries_reference", "ledger_entries", ["reference"])

    op.create_table(
        "payouts",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("seller_id", sa.String(36), sa.ForeignKey("sellers.id"), nullable=False),
        sa.Column("bank_account_id", sa.String(36), sa.ForeignKey("bank_accounts.id"), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("fee", MONEY, nullable=False, server_default="0"),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("status", payout_status, nullable=False, server_default="requested"),
        sa.Column("instant", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("idempotency_key", sa.String(64)),
        sa.Column("provider_transfer_id", sa.String(64), unique=True),
        sa.Column("failure_reason", sa.String(255)),
        sa.Column("approved_by", sa.String(36)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
        sa.UniqueConstraint("seller_id", "idempotency_key", name="uq_payout_idempotency"),
    )
    op.create_index("ix_payouts_seller_created", "payouts", ["seller_id", "created_at"])
    op.create_index("ix_payouts_status", "payouts", ["status"])

    op.create_table(
        "payout_events",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("payout_id", sa.String(36), sa.ForeignKey("payouts.id"), nullable=False),
        sa.Column("status", sa.String(32), nullable=False),
        sa.Column("detail", sa.JSON),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )
    op.create_index("ix_payout_events_payout_id", "payout_events", ["payout_id"])

    op.create_table(
        "refunds",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("seller_id", sa.String(36), sa.ForeignKey("sellers.id"), nullable=False),
        sa.Column("order_ref", sa.String(64), nullable=False),
        sa.Column("amount", MONEY, nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("reason", sa.String(255)),
        sa.Column("status", sa.String(16), nullable=False, server_default="pending"),
        sa.Column("provider_refund_id", sa.String(64)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )
    op.create_index("ix_refunds_seller_id", "refunds", ["seller_id"])
    op.create_index("ix_refunds_order_ref", "refunds", ["order_ref"])

    op.create_table(
        "webhook_endpoints",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("seller_id", sa.String(36), sa.ForeignKey("sellers.id"), nullable=False),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("secret", sa.String(64), nullable=False),
        sa.Column("event_types", sa.JSON, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )
    op.create_index("ix_webhook_endpoints_seller_id", "webhook_endpoints", ["seller_id"])

    op.create_table(
        "provider_events",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("payload", sa.JSON, nullable=False),
        sa.Column("processed_at", sa.DateTime(timezone=True)),
        sa.Column("received_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )

    op.create_table(
        "kyc_documents",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("seller_id", sa.String(36), sa.ForeignKey("sellers.id"), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("storage_key", sa.String(255), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content_type", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False, server_default="received"),
        sa.Column("notes", sa.Text),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )
    op.create_index("ix_kyc_documents_seller_id", "kyc_documents", ["seller_id"])

    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("seller_id", sa.String(36), sa.ForeignKey("sellers.id"), nullable=False),
        sa.Column("prefix", sa.String(12), nullable=False, unique=True),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("scopes", sa.JSON, nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True)),
        sa.Column("revoked_at", sa.DateTime(timezone=True)),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now()),
    )
    op.create_index("ix_api_keys_seller_id", "api_keys", ["seller_id"])


def downgrade() -> None:
    for table in ("api_keys", "kyc_documents", "provider_events", "webhook_endpoints", "refunds",
                  "payout_events", "payouts", "ledger_entries", "balances", "bank_accounts", "sellers"):
        op.drop_table(table)
    for enum_name in ("payout_status", "seller_status", "role"):
        sa.Enum(name=enum_name).drop(op.get_bind(), checkfirst=True)
