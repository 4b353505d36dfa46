import json
import logging
from datetime import date, datetime
from decimal import Decimal
from functools import partial

import falcon
import falcon.media

from stagepass.cache import init_redis
from stagepass.clients import build_paygate_client, build_session
from stagepass.db import Database, init_pool
from stagepass.jobs import build_queue
from stagepass.middleware import (AccessLogMiddleware, AuthMiddleware, BodyLimitMiddleware,
                                  RequestIdMiddleware, handle_unexpected)
from stagepass.resources.account import MeResource
from stagepass.resources.admin import AdminPayoutRunResource, AdminRefundResource, AdminUserRoleResource
from stagepass.resources.auth import HealthResource, LoginResource, PasswordResetResource, RefreshResource
from stagepass.resources.events import (AttendeesResource, EventResource, EventSearchResource, ExportResource,
                                        OrganiserEventResource, PosterResource)
from stagepass.resources.integrations import PartnerCheckinResource, PayGateWebhookResource
from stagepass.resources.orders import OrderPaymentResource, OrderResource, OrdersResource, TicketPdfResource
from stagepass.services import ServiceError
from stagepass.services.accounts import AccountService
from stagepass.services.catalogue import CatalogueService
from stagepass.services.checkin import CheckinService
from stagepass.services.finance import RefundService
from stagepass.services.media import MediaService
from stagepass.services.orders import OrderService
from stagepass.services.webhooks import PayGateWebhookService
from stagepass.settings import get_settings


def json_default(value):
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def handle_service_error(req, resp, ex, params):
    raise falcon.HTTPError(ex.status, title=ex.message)


def create_app(settings=None):
    settings = settings or get_settings()
    logging.basicConfig(level=logging.DEBUG if settings.debug else logging.INFO)

    db = Database(init_pool(settings))
    redis = init_redis(settings)
    queue = build_queue(settings)
    http = build_session(settings)
    paygate = build_paygate_client(settings)

    accounts = AccountService(db, redis, settings, queue)
    catalogue = CatalogueService(db)
    orders = OrderService(db, settings, paygate, queue)
    media = MediaService(db, settings, http)
    refunds = RefundService(db, paygate)
    checkin = CheckinService(db)
    webhooks = PayGateWebhookService(db, settings)

    app = falcon.App(
        middleware=[
            RequestIdMiddleware(),
            AccessLogMiddleware(),
            falcon.CORSMiddleware(
                allow_origins=settings.cors_origins,
                allow_credentials=settings.cors_origins,
            ),
            BodyLimitMiddleware(settings.max_body_bytes),
            AuthMiddleware(settings),
        ]
    )
    handler = falcon.media.JSONHandler(dumps=partial(json.dumps, default=json_default))
    app.req_options.media_handlers[falcon.MEDIA_JSON] = handler
    app.resp_options.media_handlers[falcon.MEDIA_JSON] = handler
    app.add_error_handler(Exception, handle_unexpected)
    app.add_error_handler(ServiceError, handle_service_error)

    reset = PasswordResetResource(accounts)
    exports = ExportResource(catalogue, media, queue)
    partner = PartnerCheckinResource(checkin)

    app.add_route("/v1/health", HealthResource(db))
    app.add_route("/v1/auth/login", LoginResource(accounts, settings))
    app.add_route("/v1/auth/refresh", RefreshResource(accounts, settings))
    app.add_route("/v1/auth/password-reset", reset)
    app.add_route("/v1/auth/password-reset/confirm", reset, suffix="confirm")
    app.add_route("/v1/me", MeResource(accounts))

    app.add_route("/v1/events", EventSearchResource(catalogue))
    app.add_route("/v1/events/{event_id:int}", EventResource(catalogue, json_default))
    app.add_route("/v1/organiser/events/{event_id:int}", OrganiserEventResource(catalogue))
    app.add_route("/v1/organiser/events/{event_id:int}/attendees", AttendeesResource(catalogue))
    app.add_route("/v1/organiser/events/{event_id:int}/poster", PosterResource(media))
    app.add_route("/v1/organiser/events/{event_id:int}/exports", exports)
    app.add_route("/v1/organiser/exports/download", exports, suffix="download")

    app.add_route("/v1/orders", OrdersResource(orders))
    app.add_route("/v1/orders/{order_id:int}", OrderResource(orders))
    app.add_route("/v1/orders/{order_id:int}/payment", OrderPaymentResource(orders))
    app.add_route("/v1/orders/{order_id:int}/tickets.pdf", TicketPdfResource(orders, settings))

    app.add_route("/v1/admin/users/{user_id:int}/role", AdminUserRoleResource(accounts))
    app.add_route("/v1/admin/orders/{order_id:int}/refund", AdminRefundResource(refunds))
    app.add_route("/v1/admin/payouts/run", AdminPayoutRunResource(queue))

    app.add_route("/v1/partner/events/{event_id:int}/checkins", partner)
    app.add_route("/v1/partner/events/{event_id:int}/checkins/batch", partner, suffix="batch")
    app.add_route("/v1/webhooks/paygate", PayGateWebhookResource(webhooks))
    return app
