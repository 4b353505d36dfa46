import hashlib
import hmac
from datetime import datetime, date
from decimal import Decimal

from flask import current_app
from flask_login import UserMixin

from .extensions import db, login_manager

ROLE_TENANT = "tenant"
ROLE_MANAGER = "manager"
ROLE_ADMIN = "admin"


class TimestampMixin:
    created_at = db.Column(db.DateTime, nullable=False, default=datetime.utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=datetime.utcnow, onupdate=datetime.utcnow)


class Organization(TimestampMixin, db.Model):
    __tablename__ = "organizations"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False)
    rentpay_merchant_id = db.Column(db.String(64))

    properties = db.relationship("Property", backref="organization", lazy="dynamic")


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id = db.Column(db.Integer, primary_key=True)
    org_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), index=True)
    email = db.Column(db.String(255), unique=True, nullable=False, index=True)
    password_hash = db.Column(db.String(128), nullable=False)
    full_name = db.Column(db.String(200), nullable=False)
    phone = db.Column(db.String(32))
    role = db.Column(db.String(16), nullable=False, default=ROLE_TENANT)
    is_active = db.Column(db.Boolean, nullable=False, default=True)
    last_login_at = db.Column(db.DateTime)

    organization = db.relationship("Organization")

    def set_password(self, password):
        salted = current_app.config["PASSWORD_SALT"] + password
        self.password_hash = hashlib.sha256(salted.encode("utf-8")).hexdigest()

    def check_password(self, password):
        salted = current_app.config["PASSWORD_SALT"] + password
        candidate = hashlib.sha256(salted.encode("utf-8")).hexdigest()
        return hmac.compare_digest(candidate, self.password_hash)

    def has_role(self, *roles):
        return self.role in roles

    @property
    def is_staff(self):
        return self.role in (ROLE_MANAGER, ROLE_ADMIN)

    def to_dict(self):
        return {
            "id": self.id,
            "email": self.email,
            "full_name": self.full_name,
            "phone": self.phone,
            "role": self.role,
        }


@login_manager.user_loader
def load_user(user_id):
    user = User.query.get(int(user_id))
    if user is None or not user.is_active:
        return None
    return user


class PasswordReset(db.Model):
    __tablename__ = "password_resets"

    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    expires_at = db.Column(db.DateTime, nullable=False)
    used_at = db.Column(db.DateTime)

    user = db.relationship("User")


class Property(TimestampMixin, db.Model):
    __tablename__ = "properties"

    id = db.Column(db.Integer, primary_key=True)
    org_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False, index=True)
    name = db.Column(db.String(200), nullable=False)
    address = db.Column(db.String(400), nullable=False)
    city = db.Column(db.String(120), nullable=False, index=True)

    units = db.relationship("Unit", backref="property", lazy="select", order_by="Unit.label")


class Unit(TimestampMixin, db.Model):
    __tablename__ = "units"

    id = db.Column(db.Integer, primary_key=True)
    property_id = db.Column(db.Integer, db.ForeignKey("properties.id"), nullable=False, index=True)
    label = db.Column(db.String(40), nullable=False)
    bedrooms = db.Column(db.Integer, nullable=False, default=1)
    bathrooms = db.Column(db.Numeric(3, 1), nullable=False, default=1)
    square_feet = db.Column(db.Integer)
    monthly_rent = db.Column(db.Numeric(10, 2), nullable=False)
    status = db.Column(db.String(16), nullable=False, default="vacant", index=True)
    listed = db.Column(db.Boolean, nullable=False, default=False)
    description = db.Column(db.Text)


class Lease(TimestampMixin, db.Model):
    __tablename__ = "leases"

    id = db.Column(db.Integer, primary_key=True)
    unit_id = db.Column(db.Integer, db.ForeignKey("units.id"), nullable=False, index=True)
    tenant_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    start_date = db.Column(db.Date, nullable=False)
    end_date = db.Column(db.Date, nullable=False)
    monthly_rent = db.Column(db.Numeric(10, 2), nullable=False)
    deposit = db.Column(db.Numeric(10, 2), nullable=False, default=Decimal("0"))
    balance = db.Column(db.Numeric(10, 2), nullable=False, default=Decimal("0"))
    status = db.Column(db.String(16), nullable=False, default="active", index=True)
    autopay_token = db.Column(db.String(128))

    unit = db.relationship("Unit", backref=db.backref("leases", lazy="dynamic"))
    tenant = db.relationship("User", backref=db.backref("leases", lazy="dynamic"))

    @property
    def is_current(self):
        today = date.today()
        return self.status == "active" and self.start_date <= today <= self.end_date


class Payment(TimestampMixin, db.Model):
    __tablename__ = "payments"
    __table_args__ = (db.UniqueConstraint("provider_ref", name="uq_payments_provider_ref"),)

    id = db.Column(db.Integer, primary_key=True)
    lease_id = db.Column(db.Integer, db.ForeignKey("leases.id"), nullable=False, index=True)
    amount = db.Column(db.Numeric(10, 2), nullable=False)
    method = db.Column(db.String(16), nullable=False)
    status = db.Column(db.String(16), nullable=False, default="pending")
    provider_ref = db.Column(db.String(64))
    received_on = db.Column(db.Date, nullable=False, default=date.today)
    memo = db.Column(db.String(255))

    lease = db.relationship("Lease", backref=db.backref("payments", lazy="dynamic"))


class Charge(TimestampMixin, db.Model):
    __tablename__ = "charges"

    id = db.Column(db.Integer, primary_key=True)
    lease_id = db.Column(db.Integer, db.ForeignKey("leases.id"), nullable=False, index=True)
    kind = db.Column(db.String(24), nullable=False)
    amount = db.Column(db.Numeric(10, 2), nullable=False)
    due_on = db.Column(db.Date, nullable=False)
    period = db.Column(db.String(7), nullable=False)

    __table_args__ = (db.UniqueConstraint("lease_id", "kind", "period", name="uq_charge_period"),)


class MaintenanceRequest(TimestampMixin, db.Model):
    __tablename__ = "maintenance_requests"

    id = db.Column(db.Integer, primary_key=True)
    lease_id = db.Column(db.Integer, db.ForeignKey("leases.id"), nullable=False, index=True)
    title = db.Column(db.String(200), nullable=False)
    description = db.Column(db.Text, nullable=False)
    priority = db.Column(db.String(16), nullable=False, default="normal")
    status = db.Column(db.String(16), nullable=False, default="open", index=True)
    staff_note = db.Column(db.Text)
    tenant_note = db.Column(db.Text)

    lease = db.relationship("Lease", backref=db.backref("maintenance_requests", lazy="dynamic"))
    attachments = db.relationship("Attachment", backref="request", lazy="select")


class Attachment(TimestampMixin, db.Model):
    __tablename__ = "attachments"

    id = db.Column(db.Integer, primary_key=True)
    request_id = db.Column(db.Integer, db.ForeignKey("maintenance_requests.id"), nullable=False, index=True)
    filename = db.Column(db.String(255), nullable=False)
    path = db.Column(db.String(500), nullable=False)
    content_type = db.Column(db.String(100))


class Document(TimestampMixin, db.Model):
    __tablename__ = "documents"

    id = db.Column(db.Integer, primary_key=True)
    lease_id = db.Column(db.Integer, db.ForeignKey("leases.id"), nullable=False, index=True)
    title = db.Column(db.String(200), nullable=False)
    stored_name = db.Column(db.String(64), nullable=False, unique=True)
    content_type = db.Column(db.String(100), nullable=False, default="application/pdf")

    lease = db.relationship("Lease", backref=db.backref("documents", lazy="dynamic"))


class NoticeTemplate(TimestampMixin, db.Model):
    __tablename__ = "notice_templates"

    id = db.Column(db.Integer, primary_key=True)
    org_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False, index=True)
    name = db.Column(db.String(120), nullable=False)
    subject = db.Column(db.String(200), nullable=False)
    body = db.Column(db.Text, nullable=False)
