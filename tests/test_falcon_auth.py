"""Who may call a Falcon responder (endpoints/falcon_apps.py): `@falcon.before` hooks on the
responder or its class, the middleware of the application its resource is added to, and suffixed
responders bound by `add_route(..., suffix=...)`. A route nothing checks is open (`none`); one a
hook or middleware the review cannot read may check stays `unknown`."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.api import review
from servicelens.config.settings import Settings

_HOOKS = """
    import falcon


    def require_member(req, resp, resource, params):
        if req.context.get("member") is None:
            raise falcon.HTTPUnauthorized(title="sign in first")


    def add_timing(req, resp, resource, params):
        req.context["started"] = 1
    """

_RESOURCES = """
    import falcon

    from svc.hooks import add_timing, require_member


    class Notes:
        @falcon.before(require_member)
        def on_post(self, req, resp):
            resp.media = req.media

        @falcon.before(add_timing)
        def on_get(self, req, resp):
            resp.media = []

        def on_get_detail(self, req, resp, note_id):
            resp.media = {"id": note_id}

        def on_delete_detail(self, req, resp, note_id):
            resp.status = falcon.HTTP_204


    @falcon.before(require_member)
    class Drafts:
        def on_put(self, req, resp, draft_id):
            resp.media = req.media


    class Tags:
        def on_get(self, req, resp):
            resp.media = []
    """


def _endpoints(tmp_path: Path, files: dict[str, str]) -> dict[tuple[str, str], tuple[str, str]]:
    for rel, text in {"svc/__init__.py": "", **files}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(dedent(text))
    report = review(tmp_path, Settings(use_cache=False))
    return {(e.method, e.path): (e.auth, e.auth_evidence) for s in report.overview.services for e in s.endpoints}


def _app(middleware: str, imports: str = "") -> str:
    return f"""
        import falcon

        from svc.resources import Drafts, Notes, Tags
        {imports}

        app = falcon.App(middleware={middleware})
        notes = Notes()
        app.add_route("/notes", notes)
        app.add_route("/notes/{{note_id}}", notes, suffix="detail")
        app.add_route("/drafts/{{draft_id}}", Drafts())
        app.add_route("/tags", Tags())
        """


def test_hooks_decide_by_their_bodies_and_routes_nothing_checks_are_open(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {"svc/hooks.py": _HOOKS, "svc/resources.py": _RESOURCES,
                                  "svc/app.py": _app("[falcon.CORSMiddleware(allow_origins='*')]")})
    assert found[("POST", "/notes")][0] == "required"
    assert found[("PUT", "/drafts/{draft_id}")][0] == "required"  # the class's hook
    assert found[("GET", "/notes")][0] == "none"  # a hook that refuses nobody
    assert found[("GET", "/tags")][0] == "none"
    # suffixed responders answer at the suffixed registration only
    assert found[("GET", "/notes/{note_id}")][0] == "none"
    assert found[("DELETE", "/notes/{note_id}")][0] == "none"
    assert ("DELETE", "/notes") not in found and ("GET", "/notes/{note_id}") in found


_MIDDLEWARE = """
    import falcon

    OPEN_PATHS = ("/tags",)


    class TokenMiddleware:
        def process_request(self, req, resp):
            if req.path in OPEN_PATHS:
                return
            token = req.get_header("Authorization")
            if not token:
                raise falcon.HTTPUnauthorized(title="token required")


    class ByResourceMiddleware:
        def process_resource(self, req, resp, resource, params):
            if getattr(resource, "anonymous", False):
                return
            if req.context.get("user") is None:
                raise falcon.HTTPForbidden()


    class Timing:
        def process_response(self, req, resp, resource, req_succeeded):
            resp.set_header("X-Took", "1")
    """


def test_a_refusing_middleware_guards_every_route_but_the_paths_it_lets_through(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {
        "svc/hooks.py": _HOOKS, "svc/resources.py": _RESOURCES, "svc/middleware.py": _MIDDLEWARE,
        "svc/app.py": _app("[Timing(), TokenMiddleware()]", "from svc.middleware import Timing, TokenMiddleware")})
    assert found[("GET", "/notes")][0] == "required"
    assert "TokenMiddleware" in found[("GET", "/notes/{note_id}")][1]
    assert found[("GET", "/tags")][0] == "none"  # exempted by path


def test_middleware_added_later_and_read_from_a_list_counts(tmp_path: Path) -> None:
    app = """
        import falcon

        from svc.middleware import Timing, TokenMiddleware
        from svc.resources import Notes


        def create_app():
            stack = [Timing()]
            app = falcon.App(middleware=stack)
            app.add_middleware(TokenMiddleware())
            app.add_route("/notes", Notes())
            return app
        """
    found = _endpoints(tmp_path, {"svc/hooks.py": _HOOKS, "svc/resources.py": _RESOURCES,
                                  "svc/middleware.py": _MIDDLEWARE, "svc/app.py": app})
    assert found[("GET", "/notes")][0] == "required"


def test_what_the_review_cannot_read_leaves_routes_undecided(tmp_path: Path) -> None:
    # a middleware from a library the review does not see; a middleware list built elsewhere
    for middleware, imports in (("[SessionMiddleware()]", "from falcon_auth import SessionMiddleware"),
                                ("settings.MIDDLEWARE", "from svc import settings")):
        found = _endpoints(tmp_path, {"svc/hooks.py": _HOOKS, "svc/resources.py": _RESOURCES,
                                      "svc/middleware.py": _MIDDLEWARE, "svc/settings.py": "MIDDLEWARE = []\n",
                                      "svc/app.py": _app(middleware, imports)})
        assert found[("GET", "/tags")][0] == "unknown", middleware
        assert found[("POST", "/notes")][0] == "required", middleware  # its own hook still refuses


def test_a_hook_the_review_cannot_name_leaves_the_responder_undecided(tmp_path: Path) -> None:
    resources = """
        import falcon

        from vendor_auth import hooks


        class Vault:
            @falcon.before(lambda req, resp, resource, params: hooks.check(req))
            def on_get(self, req, resp):
                resp.media = {}
        """
    app = """
        import falcon

        from svc.resources import Vault

        app = falcon.App()
        app.add_route("/vault", Vault())
        """
    found = _endpoints(tmp_path, {"svc/resources.py": resources, "svc/app.py": app})
    assert found[("GET", "/vault")][0] == "unknown"


_HELPERS = """
    import falcon

    from svc.tokens import decode_token_text


    def optional_caller(req):
        header = req.get_header("Authorization")
        if header is not None:
            try:
                return decode_token_text(header)
            except ValueError:
                raise falcon.HTTPUnauthorized(title="bad token")
        return None


    def required_caller(req):
        header = req.get_header("Authorization", default="")
        try:
            return decode_token_text(header)
        except ValueError:
            raise falcon.HTTPUnauthorized(title="bad token")
    """

_CHECKED = """
    import falcon

    from svc.helpers import optional_caller, required_caller


    class Votes:
        def on_post(self, req, resp):
            caller = optional_caller(req)
            resp.media = {"by": caller}


    class Imports:
        def on_post(self, req, resp):
            kind = req.get_param("kind", required=True)
            folder = req.get_param("folder", required=True)
            try:
                number = int(kind)
            except ValueError:
                raise falcon.HTTPBadRequest(title="kind")
            caller = required_caller(req)
            resp.media = {"queued": folder, "by": caller, "kind": number}
    """


def test_a_credential_verified_only_when_sent_is_optional_and_input_reading_is_no_work(tmp_path: Path) -> None:
    app = """
        import falcon

        from svc.resources import Imports, Votes

        app = falcon.App()
        app.add_route("/votes", Votes())
        app.add_route("/imports", Imports())
        """
    found = _endpoints(tmp_path, {"svc/tokens.py": "def decode_token_text(text):\n    return text\n",
                                  "svc/helpers.py": _HELPERS, "svc/resources.py": _CHECKED, "svc/app.py": app})
    assert found[("POST", "/votes")][0] == "none"  # a caller who sends no token goes on
    # reading and converting the request's parameters comes before the check, which still runs first
    assert found[("POST", "/imports")][0] == "required"


def test_a_falcon_service_is_not_reported_as_unmodelled(tmp_path: Path) -> None:
    app = "import falcon\n\nfrom svc.resources import Tags\n\napp = falcon.App()\napp.add_route('/tags', Tags())\n"
    for rel, text in {"svc/__init__.py": "", "svc/hooks.py": dedent(_HOOKS), "svc/resources.py": dedent(_RESOURCES),
                      "svc/app.py": app}.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text)
    report = review(tmp_path, Settings(use_cache=False))
    assert not any("Falcon" in q.question for q in report.open_questions)


def test_routes_added_by_a_function_the_app_is_handed_to_are_served_by_it(tmp_path: Path) -> None:
    routes = """
        import falcon

        from svc.resources import Notes, Tags


        def setup_routes(app: falcon.App):
            app.add_route("/notes", Notes())
            app.add_route("/tags", Tags())
        """
    app = """
        import falcon

        from svc.middleware import TokenMiddleware
        from svc.routes import setup_routes


        def create_app():
            app = falcon.App(middleware=[TokenMiddleware()])
            setup_routes(app)
            return app
        """
    found = _endpoints(tmp_path, {"svc/hooks.py": _HOOKS, "svc/resources.py": _RESOURCES,
                                  "svc/middleware.py": _MIDDLEWARE, "svc/routes.py": routes, "svc/app.py": app})
    assert found[("GET", "/notes")][0] == "required"
    assert found[("GET", "/tags")][0] == "none"  # the path the middleware lets through


_GATES = """
    import falcon


    class ResourceGate:
        def process_resource(self, req, resp, resource, params):
            if resource is None:
                return
            settings = getattr(resource, "auth", {})
            if req.method in settings.get("exempt_methods", []):
                return
            if not getattr(resource, "auth_required", True):
                return
            if req.context.get("user") is None:
                raise falcon.HTTPUnauthorized(title="sign in first")


    class CheckUnlessPublic:
        def process_resource(self, req, resp, resource, params):
            if getattr(resource, "public", False):
                return
            if req.context.get("user") is None:
                raise falcon.HTTPForbidden()


    class AttributeSetElsewhere:
        def process_resource(self, req, resp, resource, params):
            if resource.is_open():
                return
            if req.context.get("user") is None:
                raise falcon.HTTPUnauthorized()
    """

_DECLARING = """
    import falcon


    class OpenBase:
        auth_required = False


    class Catalogue:
        auth = {"exempt_methods": ["GET"]}

        def on_get(self, req, resp):
            resp.media = []

        def on_post(self, req, resp):
            resp.media = req.media


    class Status(OpenBase):
        def on_get(self, req, resp):
            resp.media = {"up": True}


    class Orders:
        public = True

        def on_post(self, req, resp):
            resp.media = req.media


    class Invoices:
        def on_get(self, req, resp):
            resp.media = []


    class Reports:
        auth = settings_from_somewhere()

        def on_get(self, req, resp):
            resp.media = []
    """


def _gated_app(middleware: str) -> str:
    return f"""
        import falcon

        from svc.gates import {middleware}
        from svc.resources import Catalogue, Invoices, Orders, Reports, Status

        app = falcon.App(middleware=[{middleware}()])
        app.add_route("/catalogue", Catalogue())
        app.add_route("/status", Status())
        app.add_route("/orders", Orders())
        app.add_route("/invoices", Invoices())
        app.add_route("/reports", Reports())
        """


def test_a_middleware_letting_resources_through_by_what_they_declare_is_judged_per_resource(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {"svc/gates.py": _GATES, "svc/resources.py": _DECLARING,
                                  "svc/app.py": _gated_app("ResourceGate")})
    # exempt methods: GET through, POST checked
    assert found[("GET", "/catalogue")][0] == "none"
    assert "`Catalogue` through unchecked for GET" in found[("GET", "/catalogue")][1]
    assert found[("POST", "/catalogue")][0] == "required"
    assert "ResourceGate" in found[("POST", "/catalogue")][1]
    # a flag inherited from a project base class
    assert found[("GET", "/status")][0] in ("none", "public")
    # declaring nothing, or a flag another middleware reads: checked
    assert found[("GET", "/invoices")][0] == "required"
    assert found[("POST", "/orders")][0] == "required"
    # an attribute whose value the review cannot read leaves the route undecided
    assert found[("GET", "/reports")][0] == "unknown"


def test_a_truthy_flag_exempts_only_the_resources_declaring_it(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {"svc/gates.py": _GATES, "svc/resources.py": _DECLARING,
                                  "svc/app.py": _gated_app("CheckUnlessPublic")})
    assert found[("POST", "/orders")][0] == "none"
    assert "`public`" in found[("POST", "/orders")][1]
    assert found[("GET", "/catalogue")][0] == "required"
    assert found[("GET", "/status")][0] == "required"


def test_a_gate_calling_into_the_resource_leaves_routes_undecided(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {"svc/gates.py": _GATES, "svc/resources.py": _DECLARING,
                                  "svc/app.py": _gated_app("AttributeSetElsewhere")})
    assert found[("GET", "/invoices")][0] == "unknown"


def test_a_resource_with_a_base_the_review_cannot_read_is_undecided(tmp_path: Path) -> None:
    resources = """
        import falcon
        from vendor.resources import BaseResource


        class Invoices(BaseResource):
            def on_get(self, req, resp):
                resp.media = []
        """
    app = """
        import falcon

        from svc.gates import CheckUnlessPublic
        from svc.resources import Invoices

        app = falcon.App(middleware=[CheckUnlessPublic()])
        app.add_route("/invoices", Invoices())
        """
    found = _endpoints(tmp_path, {"svc/gates.py": _GATES, "svc/resources.py": resources, "svc/app.py": app})
    assert found[("GET", "/invoices")][0] == "unknown"  # the base may declare `public = True`


_COMPLETE = """
    import falcon

    from svc.tokens import valid


    class CompletingAuth:
        def process_request(self, req, resp):
            token = req.get_header("Authorization")
            if not token or not valid(token):
                resp.status = falcon.HTTP_401
                resp.media = {"title": "sign in first"}
                resp.complete = True


    class StatusOnly:
        def process_request(self, req, resp):
            token = req.get_header("Authorization")
            if not token or not valid(token):
                resp.status = falcon.HTTP_401
    """


def test_a_middleware_answering_401_by_completing_the_response_refuses(tmp_path: Path) -> None:
    for middleware, auth in (("CompletingAuth", "required"), ("StatusOnly", "none")):
        app = f"""
            import falcon.asgi

            from svc.middleware import {middleware}
            from svc.resources import Tags

            app = falcon.asgi.App(middleware=[{middleware}()])
            app.add_route("/tags", Tags())
            """
        found = _endpoints(tmp_path, {"svc/tokens.py": "def valid(token):\n    return token == 'x'\n",
                                      "svc/middleware.py": _COMPLETE, "svc/resources.py": _RESOURCES,
                                      "svc/hooks.py": _HOOKS, "svc/app.py": app})
        # the responder still runs after a status alone: Falcon answers once it returns
        assert found[("GET", "/tags")][0] == auth, middleware


def test_routes_added_in_a_loop_over_a_table_and_by_a_factory_are_listed_with_their_auth(tmp_path: Path) -> None:
    app = """
        import falcon

        from svc.middleware import TokenMiddleware
        from svc.resources import Drafts, Notes, Tags

        ROUTES = [
            ("/notes", Notes, None),
            ("/notes/{note_id:int}", Notes, "detail"),
            ("/drafts/{draft_id}", Drafts, None),
        ]


        def make_tags(limit):
            return Tags()


        def create_app():
            app = falcon.API(middleware=[TokenMiddleware()])
            for path, resource, suffix in ROUTES:
                app.add_route(path, resource(), suffix=suffix)
            for path, built in {"/tags": make_tags(10)}.items():
                app.add_route(path, built)
            app.add_route("/more-tags", make_tags(20))
            return app
        """
    found = _endpoints(tmp_path, {"svc/hooks.py": _HOOKS, "svc/resources.py": _RESOURCES,
                                  "svc/middleware.py": _MIDDLEWARE, "svc/app.py": app})
    assert set(found) == {("GET", "/notes"), ("POST", "/notes"), ("GET", "/notes/{note_id:int}"),
                          ("DELETE", "/notes/{note_id:int}"), ("PUT", "/drafts/{draft_id}"), ("GET", "/tags"),
                          ("GET", "/more-tags")}
    assert found[("GET", "/notes/{note_id:int}")][0] == "required"
    assert found[("GET", "/more-tags")][0] == "required"
    assert found[("GET", "/tags")][0] == "none"  # the path the middleware lets through


def test_a_route_one_middleware_lets_through_is_still_checked_by_the_next(tmp_path: Path) -> None:
    found = _endpoints(tmp_path, {
        "svc/hooks.py": _HOOKS, "svc/resources.py": _RESOURCES, "svc/middleware.py": _MIDDLEWARE,
        "svc/gates.py": _GATES,
        "svc/app.py": _app("[TokenMiddleware(), CheckUnlessPublic()]",
                           "from svc.middleware import TokenMiddleware\nfrom svc.gates import CheckUnlessPublic")})
    # `/tags` is on TokenMiddleware's open list, but CheckUnlessPublic checks every resource not declaring `public`
    assert found[("GET", "/tags")][0] == "required"
    assert "CheckUnlessPublic" in found[("GET", "/tags")][1]


def test_a_resource_no_add_route_names_is_served_nowhere_unless_some_add_route_is_unread(tmp_path: Path) -> None:
    read = """
        import falcon

        from svc.resources import Tags

        app = falcon.App()
        app.add_route("/tags", Tags())
        """
    found = _endpoints(tmp_path, {"svc/hooks.py": _HOOKS, "svc/resources.py": _RESOURCES, "svc/app.py": read})
    assert set(found) == {("GET", "/tags")}  # Notes and Drafts are added nowhere
    handed = read + """

        def mount(app, path, resource):
            app.add_route(path, resource)
        """
    found = _endpoints(tmp_path, {"svc/hooks.py": _HOOKS, "svc/resources.py": _RESOURCES, "svc/app.py": handed})
    assert ("PUT", "(registered elsewhere)") in found  # `mount` may add any resource


def test_an_add_route_in_a_module_that_never_imports_falcon_still_counts_as_unread(tmp_path: Path) -> None:
    # `init(application)` receives the app: its routes are added without importing falcon, and a
    # resource added there under a condition must not be dropped as served nowhere
    app = """
        import falcon

        from svc.resources import Tags
        from svc.routes import init

        app = falcon.App()
        app.add_route("/tags", Tags())
        init(app, {})
        """
    routes = """
        def init(application, config):
            if config.get("drafts"):
                from svc.resources import Drafts
                application.add_route(config["drafts_path"], Drafts())
        """
    found = _endpoints(tmp_path, {"svc/hooks.py": _HOOKS, "svc/resources.py": _RESOURCES, "svc/app.py": app,
                                  "svc/routes.py": routes})
    assert ("GET", "/tags") in found
    assert any(path == "(registered elsewhere)" for _method, path in found)
