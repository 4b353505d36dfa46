import hashlib
import hmac
import json
import logging
import os

import requests
from rq import Retry, get_current_job
from sqlalchemy import select

from . import create_app, repo
from .bank import BankError, bank_client
from .db import get_engine
from .tables import beneficiaries, merchants, payouts

log = logging.getLogger(__name__)
_app = create_app()


def process_payout(payout_id: int) -> None:
    with _app.app_context():
        engine = get_engine()
        with engine.connect() as conn:
            p = repo.get_payout(conn, payout_id)
            if p is None or p["status"] != "pending":
                return
            b = repo.get_beneficiary(conn, p["beneficiary_id"])
        try:
            bank_ref = bank_client(_app.config).create_transfer(
                payout_id, b["iban"], b["bic"], b["name"], p["amount"], p["currency"]
            )
        except (BankError, requests.RequestException) as exc:
            log.warning("payout %s failed at bank: %s", payout_id, exc)
            with engine.begin() as conn:
                repo.set_payout_status(conn, payout_id, "failed")
            try:
                with engine.begin() as conn:
                    repo.credit_balance(conn, p["merchant_id"], p["currency"], p["amount"] + p["fee"])
                    repo.insert_ledger(p["merchant_id"], payout_id, p["amount"] + p["fee"], p["currency"], "reversal")
            except Exception:
                pass
            return
        with engine.begin() as conn:
            repo.set_payout_status(conn, payout_id, "submitted", bank_ref)
        _app.extensions["rq_queue"].enqueue(
            notify_merchant, payout_id, "payout.submitted", retry=Retry(max=3, interval=[10, 60, 300])
        )


def notify_merchant(payout_id: int, event: str) -> None:
    with _app.app_context():
        with get_engine().connect() as conn:
            row = conn.execute(
                select(merchants.c.webhook_url, merchants.c.webhook_secret, payouts.c.merchant_ref, payouts.c.status)
                .join(payouts, payouts.c.merchant_id == merchants.c.id)
                .where(payouts.c.id == payout_id)
            ).mappings().first()
        if row is None or not row["webhook_url"]:
            return
        body = json.dumps({"event": event, "payout_id": payout_id, "merchant_ref": row["merchant_ref"], "status": row["status"]})
        sig = hmac.new(row["webhook_secret"].encode(), body.encode(), hashlib.sha256).hexdigest()
        job = get_current_job()
        resp = requests.post(
            row["webhook_url"],
            data=body,
            headers={
                "Content-Type": "application/json",
                "X-Payouts-Signature": sig,
                "X-Payouts-Delivery": job.id if job else os.urandom(8).hex(),
            },
            timeout=10,
        )
        resp.raise_for_status()
