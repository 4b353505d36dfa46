from datetime import datetime, timezone

from .extensions import db


def _now():
    return datetime.now(timezone.utc)


class User(db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(255), unique=True, nullable=False, index=True)
    full_name = db.Column(db.String(255), nullable=False)
    password_hash = db.Column(db.String(255), nullable=False)
    is_admin = db.Column(db.Boolean, nullable=False, default=False)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=_now)

    accounts = db.relationship("Account", back_populates="owner")

    def public_dict(self):
        return {"id": self.id, "email": self.email, "full_name": self.full_name}


class Account(db.Model):
    __tablename__ = "accounts"

    id = db.Column(db.Integer, primary_key=True)
    owner_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    currency = db.Column(db.String(3), nullable=False)
    balance = db.Column(db.Numeric(18, 2), nullable=False, default=0)
    status = db.Column(db.String(16), nullable=False, default="active")
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=_now)

    owner = db.relationship("User", back_populates="accounts")
    entries = db.relationship("Entry", lazy="dynamic", back_populates="account")

    def to_dict(self):
        return {
            "id": self.id,
            "owner_id": self.owner_id,
            "currency": self.currency,
            "balance": str(self.balance),
            "status": self.status,
        }


class Entry(db.Model):
    __tablename__ = "entries"

    id = db.Column(db.BigInteger, primary_key=True)
    account_id = db.Column(db.Integer, db.ForeignKey("accounts.id"), nullable=False, index=True)
    transfer_id = db.Column(db.Integer, db.ForeignKey("transfers.id"), index=True)
    amount = db.Column(db.Numeric(18, 2), nullable=False)
    memo = db.Column(db.String(140))
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=_now, index=True)

    account = db.relationship("Account", back_populates="entries")

    def to_dict(self):
        return {
            "id": self.id,
            "amount": str(self.amount),
            "memo": self.memo,
            "created_at": self.created_at.isoformat(),
        }


class Transfer(db.Model):
    __tablename__ = "transfers"
    __table_args__ = (
        db.UniqueConstraint("initiator_id", "idempotency_key", name="uq_transfer_idem"),
    )

    id = db.Column(db.Integer, primary_key=True)
    initiator_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    source_account_id = db.Column(db.Integer, db.ForeignKey("accounts.id"), nullable=False, index=True)
    dest_account_id = db.Column(db.Integer, db.ForeignKey("accounts.id"), nullable=False, index=True)
    amount = db.Column(db.Numeric(18, 2), nullable=False)
    dest_amount = db.Column(db.Numeric(18, 2), nullable=False)
    status = db.Column(db.String(16), nullable=False, default="pending")
    idempotency_key = db.Column(db.String(64), nullable=False)
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=_now, index=True)

    source = db.relationship("Account", foreign_keys=[source_account_id])
    destination = db.relationship("Account", foreign_keys=[dest_account_id])


class Payout(db.Model):
    __tablename__ = "payouts"

    id = db.Column(db.Integer, primary_key=True)
    account_id = db.Column(db.Integer, db.ForeignKey("accounts.id"), nullable=False, index=True)
    amount = db.Column(db.Numeric(18, 2), nullable=False)
    currency = db.Column(db.String(3), nullable=False)
    iban = db.Column(db.String(34), nullable=False)
    status = db.Column(db.String(16), nullable=False, default="pending")
    external_ref = db.Column(db.String(64))
    created_at = db.Column(db.DateTime(timezone=True), nullable=False, default=_now)

    def to_dict(self):
        return {
            "id": self.id,
            "account_id": self.account_id,
            "amount": str(self.amount),
            "currency": self.currency,
            "status": self.status,
        }
