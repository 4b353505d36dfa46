from .base import *  # noqa: F401,F403

DEBUG = True
SECRET_KEY = "dev-only-payoutdesk-key"
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
RQ_QUEUES["payouts"]["ASYNC"] = False  # noqa: F405
