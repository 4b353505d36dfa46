import logging

from lunchline import settings
from lunchline.clients import notify
from lunchline.clients.payrail import PaymentDeclined
from lunchline.db import SessionFactory
from lunchline.repositories import StudentRepository
from lunchline.services.menus import MenuService
from lunchline.services.wallet import WalletService

log = logging.getLogger(__name__)


def import_menu_feed(school_id, feed_url):
    with SessionFactory() as session:
        count = MenuService(session).import_supplier_feed(school_id, feed_url)
    log.info("imported %s menu items for school %s", count, school_id)
    return count


def send_low_balance_reminders():
    sent = 0
    with SessionFactory() as session:
        repo = StudentRepository(session)
        last_id = 0
        while True:
            batch = repo.low_balance_batch(settings.LOW_BALANCE_THRESHOLD, last_id)
            if not batch:
                break
            for student in batch:
                for link in student.guardianships:
                    guardian = link.guardian
                    try:
                        notify.send_email(guardian.email, "low-balance", {
                            "student": student.first_name, "balance": f"{student.balance:.2f}",
                        })
                        if guardian.notify_sms and guardian.phone:
                            notify.send_sms(guardian.phone, f"{student.first_name}'s lunch balance is low")
                        sent += 1
                    except Exception:
                        pass
            last_id = batch[-1].id
    return sent


def run_auto_topups():
    charged = failed = 0
    with SessionFactory() as session:
        repo = StudentRepository(session)
        wallet = WalletService(session)
        last_id = 0
        while True:
            batch = repo.auto_topup_candidates(last_id)
            if not batch:
                break
            for student in batch:
                try:
                    if wallet.auto_top_up(student):
                        charged += 1
                except PaymentDeclined as exc:
                    failed += 1
                    log.warning("auto top-up declined for student %s: %s", student.id, exc)
            last_id = batch[-1].id
    log.info("auto top-ups: %s charged, %s declined", charged, failed)
    return charged
