import argparse
import logging
from datetime import date, timedelta
from functools import lru_cache

from redis import Redis
from rq import Queue

from stagepass.clients import build_mailer, build_paygate_client
from stagepass.db import Database, init_pool
from stagepass.money import as_json
from stagepass.repositories import OrderRepository, TicketRepository, UserRepository
from stagepass.services.finance import PayoutService
from stagepass.services.media import MediaService
from stagepass.settings import get_settings
from stagepass.clients.http import build_session

log = logging.getLogger("stagepass.jobs")


class JobContext:
    def __init__(self, settings):
        self.settings = settings
        self.db = Database(init_pool(settings))
        self.mailer = build_mailer(settings)
        self.paygate = build_paygate_client(settings)
        self.http = build_session(settings)


@lru_cache(maxsize=1)
def _context():
    return JobContext(get_settings())


def build_queue(settings, name="default"):
    connection = Redis.from_url(settings.redis_url, socket_timeout=5, socket_connect_timeout=2)
    return Queue(name, connection=connection, default_timeout=300)


def send_order_confirmation(order_id):
    ctx = _context()
    try:
        with ctx.db.connection() as conn:
            order = OrderRepository(conn).get(order_id)
            user = UserRepository(conn).get_public(order["user_id"])
            tickets = TicketRepository(conn).for_order(order_id)
        ctx.mailer.send(
            to=user["email"],
            template="order-confirmation",
            context={"reference": order["reference"], "total": as_json(order["total"]),
                     "currency": order["currency"], "ticket_codes": [ticket["code"] for ticket in tickets]},
        )
    except Exception:
        return False
    return True


def send_reset_code(email, code):
    ctx = _context()
    ctx.mailer.send(to=email, template="password-reset", context={"code": code})


def export_attendees(organiser_id, event_id):
    ctx = _context()
    filename = MediaService(ctx.db, ctx.settings, ctx.http).write_attendee_export(organiser_id, event_id)
    log.info("attendee export %s ready for organiser %s", filename, organiser_id)
    return filename


def expire_holds():
    ctx = _context()
    with ctx.db.transaction() as conn:
        orders = OrderRepository(conn)
        ids = [row["id"] for row in orders.expired_holds()]
        if ids:
            orders.expire(ids)
    log.info("expired %d unpaid orders", len(ids))
    return len(ids)


def schedule_payouts(period_start=None):
    ctx = _context()
    if period_start is None:
        today = date.today()
        period_start = today - timedelta(days=today.weekday() + 7)
    return PayoutService(ctx.db, ctx.settings, ctx.paygate).schedule_week(period_start)


def send_payouts():
    ctx = _context()
    return PayoutService(ctx.db, ctx.settings, ctx.paygate).send_scheduled()


COMMANDS = {
    "expire-holds": expire_holds,
    "schedule-payouts": schedule_payouts,
    "send-payouts": send_payouts,
}


def main(argv=None):
    parser = argparse.ArgumentParser(prog="stagepass-cron")
    parser.add_argument("command", choices=sorted(COMMANDS))
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    result = COMMANDS[args.command]()
    log.info("%s finished: %s", args.command, result)


if __name__ == "__main__":
    main()
