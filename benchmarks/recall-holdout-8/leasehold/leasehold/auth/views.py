import hashlib
import logging
import secrets
from datetime import datetime, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import db, limiter
from ..forms import ForgotPasswordForm, LoginForm, ResetPasswordForm
from ..models import PasswordReset, User
from ..tasks import send_password_reset_email

log = logging.getLogger(__name__)
auth_bp = Blueprint("auth", __name__)

RESET_TTL = timedelta(hours=1)


def _landing_for(user):
    return url_for("manage.dashboard") if user.is_staff else url_for("portal.dashboard")


@auth_bp.route("/login", methods=["GET", "POST"])
@limiter.limit("5 per minute; 30 per hour", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_landing_for(current_user))
    form = LoginForm()
    if form.validate_on_submit():
        user = User.query.filter_by(email=form.email.data.strip().lower()).first()
        if user is None or not user.is_active or not user.check_password(form.password.data):
            flash("Invalid email or password.", "danger")
            return render_template("auth/login.html", form=form), 401
        login_user(user, remember=form.remember.data)
        user.last_login_at = datetime.utcnow()
        db.session.commit()
        log.info("user_id=%s signed in", user.id)
        next_url = request.args.get("next")
        return redirect(next_url or _landing_for(user))
    return render_template("auth/login.html", form=form)


@auth_bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash("You have been signed out.", "info")
    return redirect(url_for("auth.login"))


@auth_bp.route("/forgot-password", methods=["GET", "POST"])
@limiter.limit("5 per hour", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = User.query.filter_by(email=form.email.data.strip().lower()).first()
        if user is not None and user.is_active:
            token = secrets.token_urlsafe(32)
            db.session.add(
                PasswordReset(
                    user_id=user.id,
                    token_hash=hashlib.sha256(token.encode()).hexdigest(),
                    expires_at=datetime.utcnow() + RESET_TTL,
                )
            )
            db.session.commit()
            send_password_reset_email.delay(user.id, token)
            log.info("password reset requested for user_id=%s", user.id)
        flash("If that address has an account, a reset link is on its way.", "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@auth_bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token):
    token_hash = hashlib.sha256(token.encode()).hexdigest()
    reset = PasswordReset.query.filter_by(token_hash=token_hash, used_at=None).first()
    if reset is None or reset.expires_at < datetime.utcnow():
        flash("That reset link is invalid or has expired.", "danger")
        return redirect(url_for("auth.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        reset.user.set_password(form.password.data)
        reset.used_at = datetime.utcnow()
        db.session.commit()
        flash("Password updated. Please sign in.", "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form, token=token)
