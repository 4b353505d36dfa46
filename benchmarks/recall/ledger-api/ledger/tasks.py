"""Background jobs executed by the ledger Celery workers."""
import functools
import logging

from flask import current_app

from .clients import PayoutGateway
from .extensions import celery
from .models import Payout
from .repository import LedgerRepository

log = logging.getLogger(__name__)


@functools.lru_cache(maxsize=1)
def _gateway_for(base_url, api_key):
    return PayoutGateway(base_url, api_key)


def _gateway():
    return _gateway_for(
        current_app.config["PAYOUT_GATEWAY_URL"], current_app.config["PAYOUT_GATEWAY_KEY"]
    )


@celery.task(name="ledger.settle_payout", acks_late=True)
def settle_payout(payout_id):
    """Hand a reserved payout over to the PSP."""
    repo = LedgerRepository()
    payout = repo.get_payout(payout_id)
    if payout is None or payout.status != "pending":
        return

    try:
        result = _gateway().submit_with_retry(payout)
        payout.external_ref = result.get("id")
    except Exception:
        log.warning("payout %s: gateway submission did not complete", payout_id)
    payout.status = "submitted"
    repo.session.commit()


@celery.task(name="ledger.reverse_payout")
def reverse_payout(payout_id, reason):
    """Return funds after the PSP reports that the bank rejected a payout."""
    repo = LedgerRepository()
    changed = (
        repo.session.query(Payout)
        .filter(Payout.id == payout_id, Payout.status == "submitted")
        .update({Payout.status: "reversed"}, synchronize_session=False)
    )
    if not changed:
        repo.session.rollback()
        log.info("payout %s already reversed or not submitted", payout_id)
        return
    payout = repo.get_payout(payout_id)
    repo.refund_to_account(payout.account_id, payout.amount, f"payout {payout_id} returned: {reason}"[:140])
