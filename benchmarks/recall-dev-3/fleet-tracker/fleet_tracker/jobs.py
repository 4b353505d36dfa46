import logging
import random
from datetime import datetime, timedelta, timezone

from flask import current_app
from redis import Redis
from rq import Queue, Retry

from .db import SessionFactory
from .models import Position, Vehicle

log = logging.getLogger(__name__)


def _queue(name: str = "default") -> Queue:
    ext = current_app.extensions
    if "rq_redis" not in ext:
        ext["rq_redis"] = Redis.from_url(current_app.config["REDIS_URL"])
    return Queue(name, connection=ext["rq_redis"])


def enqueue_pin_sms(email: str, code: str) -> None:
    _queue("notifications").enqueue(
        "fleet_tracker.tasks.send_pin_sms",
        email,
        code,
        retry=Retry(max=3, interval=[10, 30, 90]),
        job_timeout=30,
    )


def enqueue_position_sync(serial: str) -> None:
    # Providers announce backlogs for many devices at once; spread the pulls out a little.
    delay = timedelta(seconds=random.uniform(0, 30))
    _queue("telemetry").enqueue_in(delay, sync_positions, serial, job_timeout=300)


def sync_positions(serial: str) -> int:
    # Runs in the RQ worker, which pushes an app context before it starts (see worker.py).
    from .clients.telematics import telematics_client

    client = telematics_client()
    session = SessionFactory()
    try:
        vehicle = session.query(Vehicle).filter_by(telematics_serial=serial).one()
        since = (datetime.now(timezone.utc) - timedelta(hours=6)).isoformat()
        stored = 0
        for point in client.latest_positions(serial, since):
            try:
                session.add(
                    Position(
                        vehicle_id=vehicle.id,
                        recorded_at=datetime.fromisoformat(point["recorded_at"]),
                        lat=point["lat"],
                        lon=point["lon"],
                        speed_kph=point.get("speed_kph", 0.0),
                    )
                )
                session.flush()
                stored += 1
            except Exception:
                pass
        session.commit()
        return stored
    finally:
        session.close()
