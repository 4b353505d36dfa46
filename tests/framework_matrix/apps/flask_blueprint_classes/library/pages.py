"""The library's sections: Blueprints that register the methods a decorator marked."""
import flask


class PageGroup(flask.Blueprint):
    def __init__(self, name, import_name, url_prefix=None):
        super().__init__(name, import_name, url_prefix=url_prefix)
        for attr in dir(self):
            method = getattr(self, attr)
            for args, kwargs in getattr(method, "_rules", []):
                self.route(*args, **kwargs)(method)


def page(*args, **kwargs):
    def store(fn):
        setattr(fn, "_rules", getattr(fn, "_rules", []) + [(args, kwargs)])
        return fn

    return store
