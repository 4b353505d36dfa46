from flask import Flask
from flask_restful import Api

from shop.resources import OrderItem, OrderList, OrderStatus, Register, ReportView, health
from shop.users import ns
from shop.pets import blp

app = Flask(__name__)
api = Api(app, prefix="/api")
api.add_resource(OrderList, "/orders")
api.add_resource(OrderItem, "/orders/<int:order_id>", "/orders/by-ref/<ref>")
api.add_resource(OrderStatus, "/orders/<int:order_id>/status")
api.add_resource(Register, "/accounts/register")
app.add_url_rule("/health", view_func=health)
app.add_url_rule("/reports", view_func=ReportView.as_view("reports"))
