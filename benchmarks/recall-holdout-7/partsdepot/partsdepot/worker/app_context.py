import functools


def with_app_context(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from .. import create_app

        app = _app_cache.get("app")
        if app is None:
            app = _app_cache["app"] = create_app()
        with app.app_context():
            return fn(*args, **kwargs)

    return wrapper


_app_cache = {}
