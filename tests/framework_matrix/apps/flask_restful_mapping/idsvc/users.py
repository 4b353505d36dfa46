import flask

from idsvc import common


class UserResource(common.ResourceBase):
    def get(self, user_id):  # reach: request
        return {"id": user_id}

    def delete(self, user_id):  # reach: request
        return None, 204


class UserPasswordResource(common.ResourceBase):
    def post(self, user_id):  # reach: request
        return {"changed": bool(flask.request.get_json())}


class UserCache:
    """A look-alike: a class with a `get`, named with the paths of no registration."""

    def get(self, user_id):  # reach: none
        return None


class UserAPI(common.APIBase):
    resource_mapping = [
        common.construct_resource_map(resource=UserResource, url="/users/<string:user_id>", resource_kwargs={}),
        common.construct_resource_map(
            resource=UserPasswordResource,
            url=("/users/<string:user_id>/password"),
            resource_kwargs={},
            rel="user_change_password",
        ),
    ]


APIs = (UserAPI,)
