from flask import g
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from ..auth.tokens import account_required
from ..db import get_session
from ..models import StockMovement
from ..repositories import PartRepository
from ..schemas import PartSchema, PartSearchArgs, StockAdjustSchema

blp = Blueprint("stock", __name__, url_prefix="/api/v1/stock", description="Warehouse stock")


@blp.route("/levels")
class StockLevels(MethodView):
    decorators = [account_required(roles=("warehouse", "staff"))]

    @blp.arguments(PartSearchArgs, location="query")
    @blp.response(200, PartSchema(many=True))
    def get(self, args):
        offset = (args["page"] - 1) * args["per_page"]
        return PartRepository(get_session()).search(args["q"], limit=args["per_page"], offset=offset)


@blp.route("/adjustments")
class StockAdjustment(MethodView):
    @blp.arguments(StockAdjustSchema)
    def post(self, payload):
        session = get_session()
        repo = PartRepository(session)
        part = repo.get_by_sku(payload["sku"])
        if part is None:
            abort(404, message="Unknown SKU.")
        repo.adjust_on_hand(part.id, payload["delta"])
        session.add(StockMovement(part_id=part.id, delta=payload["delta"], reason=payload["reason"], created_by_id=g.get("user_id")))
        session.commit()
        return {"sku": part.sku, "delta": payload["delta"]}, 201

