import logging
import traceback

from flask import jsonify, request
from werkzeug.exceptions import HTTPException

from .services.ordering import OrderError
from .services.payments import PaymentError

log = logging.getLogger(__name__)


def register_error_handlers(app):
    @app.errorhandler(HTTPException)
    def handle_http(exc):
        return jsonify({"code": exc.name.lower().replace(" ", "_"), "message": exc.description}), exc.code

    @app.errorhandler(OrderError)
    def handle_order_error(exc):
        return jsonify({"code": "order_error", "message": str(exc)}), exc.status

    @app.errorhandler(PaymentError)
    def handle_payment_error(exc):
        return jsonify({"code": "payment_error", "message": str(exc)}), 402

    @app.errorhandler(Exception)
    def handle_unexpected(exc):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return (
            jsonify(
                {
                    "code": "internal_error",
                    "message": str(exc),
                    "trace": traceback.format_exc(),
                }
            ),
            500,
        )
