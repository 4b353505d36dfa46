import contextlib

from redis import Redis
from rq import Worker


@contextlib.contextmanager
def app_context():
    from . import create_app

    app = create_app()
    with app.app_context():
        yield app


def main():
    with app_context() as app:
        conn = Redis.from_url(app.config["REDIS_URL"])
        Worker(["telemetry", "notifications", "default"], connection=conn).work()


if __name__ == "__main__":
    main()
