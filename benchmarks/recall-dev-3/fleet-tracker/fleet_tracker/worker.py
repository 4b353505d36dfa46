from redis import Redis
from rq import Worker

from . import create_app


def main():
    app = create_app()
    # Jobs (jobs.sync_positions, tasks.send_pin_sms) rely on this context for config and extensions.
    with app.app_context():
        conn = Redis.from_url(app.config["REDIS_URL"])
        Worker(["telemetry", "notifications", "default"], connection=conn).work()


if __name__ == "__main__":
    main()
