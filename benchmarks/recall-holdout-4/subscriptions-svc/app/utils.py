from datetime import datetime
from decimal import Decimal
from urllib.parse import urlsplit


def row_to_dict(obj) -> dict:
    """Serialise a mapped row using its table columns (dates and decimals as strings)."""
    out = {}
    for column in obj.__table__.columns:
        value = getattr(obj, column.key)
        if isinstance(value, (datetime, Decimal)):
            value = str(value)
        out[column.key] = value
    return out


def safe_redirect_target(url: str | None, allowed_hosts: list[str], default: str) -> str:
    if not url:
        return default
    parts = urlsplit(url)
    if parts.scheme != "https" or parts.hostname not in allowed_hosts:
        return default
    return url
