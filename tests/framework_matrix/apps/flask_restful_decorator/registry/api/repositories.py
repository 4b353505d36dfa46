from flask import request

from registry.api import ApiResource, resource, show_if


@resource("/v1/repository", "/v1/repositories")
class RepositoryList(ApiResource):
    def get(self):  # reach: request
        return {"page": request.args.get("page")}

    def post(self):  # reach: request
        return {"name": request.json["name"]}, 201


@resource("/v1/repository/<repopath:repository>")
@show_if(True)
class Repository(ApiResource):
    def delete(self, repository):  # reach: request
        return None, 204


def cache_for(seconds):  # reach: none
    def wrapper(cls):  # reach: none
        return cls

    return wrapper


# a path-like argument on a class that answers no HTTP verb: not an endpoint
@resource("/v1/helpers")
class Helper:
    def compute(self):  # reach: none
        return 1
