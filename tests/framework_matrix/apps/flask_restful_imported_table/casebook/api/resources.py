from flask_restful import Resource


class CaseList(Resource):
    def get(self):  # reach: request
        return []

    def post(self):  # reach: request
        return {}, 201


class CaseItem(Resource):
    def delete(self, case_id):  # reach: request
        return "", 204
