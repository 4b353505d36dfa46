import hashlib
import random
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import urljoin, urlparse

from flask import request
from markupsafe import Markup, escape

CENT = Decimal("0.01")
AVATAR_PALETTE = ("#2f6f8f", "#8f2f5b", "#3f8f2f", "#8f6b2f", "#5b2f8f")
STATUS_LABELS = {
    "open": "Open",
    "scheduled": "Scheduled",
    "in_progress": "In progress",
    "done": "Done",
    "cancelled": "Cancelled",
}


def money(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_money(value):
    return f"${money(value):,.2f}"


def is_safe_url(target):
    if not target:
        return False
    host_url = urlparse(request.host_url)
    test_url = urlparse(urljoin(request.host_url, target))
    return test_url.scheme in ("http", "https") and host_url.netloc == test_url.netloc


def avatar_color(user_id):
    rng = random.Random(user_id)
    return rng.choice(AVATAR_PALETTE)


def etag_for(payload: bytes) -> str:
    return hashlib.md5(payload).hexdigest()


def status_badge(status):
    label = STATUS_LABELS.get(status, status)
    return Markup('<span class="badge badge-{}">{}</span>').format(status, label)


def request_note_html(req):
    """Render the tenant's note under a maintenance request on the staff board."""
    if not req.tenant_note:
        return ""
    author = escape(req.lease.tenant.full_name)
    return Markup(f'<div class="tenant-note"><strong>{author}</strong>: {req.tenant_note}</div>')


def register_template_helpers(app):
    app.jinja_env.filters["money"] = format_money
    app.jinja_env.filters["status_badge"] = status_badge
    app.jinja_env.globals["avatar_color"] = avatar_color
    app.jinja_env.globals["request_note_html"] = request_note_html
