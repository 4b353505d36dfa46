from flask import Flask
from flask_restful import Api, Resource

app = Flask(__name__)
api = Api(app, prefix="/v1")


class Widget(Resource):
    def get(self, widget_id):  # reach: request
        return fetch_widget(widget_id)

    def put(self, widget_id):  # reach: request
        return {}


def fetch_widget(widget_id):  # reach: request
    return {"id": widget_id}


api.add_resource(Widget, "/widgets/<int:widget_id>")
