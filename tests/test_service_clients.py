"""A client of the service shipped beside it (analysis/service_clients.py): a class requesting the
service's own routes at an address its caller hands in runs where it is made. Its methods the
service itself never runs have reach `client` (cost-only findings held back); those the service
runs through an instance it makes keep their reach, and so does every method of a client the
service hands on, of a class that requests some other service, and every security finding."""
from __future__ import annotations

import ast
from pathlib import Path
from textwrap import dedent

from servicelens.analysis.service_client_urls import own_route_requests, route_shapes
from servicelens.api import review
from servicelens.config.settings import Settings

SERVER = """\
    from fastapi import FastAPI

    from kitchen import store

    app = FastAPI()


    @app.get("/api/recipes")
    def recipes():
        return []


    @app.get("/api/recipes/{recipe_id}")
    def recipe(recipe_id: int):
        return store.recipe(recipe_id)


    @app.post("/api/recipes/{recipe_id}/archive")
    def archive(recipe_id: int):
        return store.publish(recipe_id, archived=True)


    @app.get("/api/peers")
    def peers():
        return []
    """

# the package's SDK: a client the caller points at a server, and the handle it hands out
SDK = """\
    import requests


    class Cookbook:
        def __init__(self, server):
            self.server = server
            self.http = requests.Session()

        def recipes(self):
            return self.http.get(f"{self.server}/api/recipes").json()

        def recipe(self, recipe_id):
            url = self.server + "/api/recipes/" + str(recipe_id)
            return RecipeHandle(self.server, self.http.get(url).json())

        def peers(self):
            return self.http.get(f"{self.server}/api/peers").json()


    class RecipeHandle:
        def __init__(self, server, data):
            self.server = server
            self.data = data

        def publish(self):
            return requests.post(f"{self.server}/api/recipes/{self.data['id']}/publish")


    class Pantry:
        def __init__(self, server):
            self.server = server

        def stock(self):
            return requests.get(f"{self.server}/api/recipes")
    """

# the project's own command-line tool drives the SDK
CLI = """\
    import click

    from kitchen.sdk import Cookbook


    @click.command()
    @click.argument("server")
    def show(server):
        book = Cookbook(server)
        for item in book.recipes():
            print(item["name"])
    """

# server code (nothing the call graph can follow reaches it) that asks a peer through the SDK, and
# a class requesting another service's routes
SYNC = """\
    import requests

    from kitchen.sdk import Cookbook


    class Mirror:
        def refresh(self, peer_url):
            return Cookbook(peer_url).peers()


    class Weather:
        def __init__(self, base):
            self.base = base

        def today(self):
            return requests.get(f"{self.base}/v2/forecast/today").json()
    """


def _review(root: Path, files: dict[str, str]) -> dict[tuple[str, int], tuple[str, str]]:
    for rel, text in {"kitchen/__init__.py": "", **files}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(dedent(text))
    report = review(root, Settings(use_cache=False, profile="extended"))
    return {(f.location.path, f.location.start_line): (f.reach, f.held_back)
            for f in report.findings if f.concern == "missing-timeout"}


def test_methods_the_service_never_runs_are_the_clients(tmp_path: Path) -> None:
    found = _review(tmp_path, {"kitchen/server.py": SERVER, "kitchen/sdk.py": SDK, "kitchen/cli.py": CLI,
                               "kitchen/sync.py": SYNC})
    # what the project's own command calls is the command's
    assert found[("kitchen/sdk.py", 10)][0] == "command"
    # what no code of the project calls runs in the programs that import the package
    reach, held = found[("kitchen/sdk.py", 14)]
    assert reach == "client"
    assert "client of this service" in held and "/api/recipes" in held and "kitchen/cli.py:9" in held
    # the handle the client hands out runs where the client does (the route it requests is not one
    # the inventory lists: what makes it a client's is who makes it)
    reach, held = found[("kitchen/sdk.py", 26)]
    assert reach == "client" and "`Cookbook.recipe`, kitchen/sdk.py:14" in held
    # the server's own code makes a client and asks a peer through it: that method keeps its reach
    assert found[("kitchen/sdk.py", 17)][0] != "client"
    assert not found[("kitchen/sdk.py", 17)][1]
    # a client made nowhere by name may be made by some discovery in the service: not judged
    assert found[("kitchen/sdk.py", 34)][0] == ""
    # a class requesting another service's routes is not a client of this one
    assert found[("kitchen/sync.py", 16)][0] != "client"


def test_a_client_the_service_hands_on_is_not_judged(tmp_path: Path) -> None:
    """An instance the service's code makes and keeps (`self.book = Cookbook(url)`) may run any
    method, wherever its holder is used."""
    keeps = """\
        from kitchen.sdk import Cookbook


        class Sync:
            def __init__(self, url):
                self.book = Cookbook(url)
        """
    found = _review(tmp_path, {"kitchen/server.py": SERVER, "kitchen/sdk.py": SDK, "kitchen/cli.py": CLI,
                               "kitchen/keeps.py": keeps})
    assert all(found[("kitchen/sdk.py", line)][0] != "client" for line in (10, 14, 17))


def test_nothing_is_concluded_without_the_services_routes(tmp_path: Path) -> None:
    """The same SDK reviewed without the server: nothing says its routes are this service's."""
    found = _review(tmp_path, {"kitchen/sdk.py": SDK, "kitchen/cli.py": CLI})
    assert all(reach != "client" for reach, _ in found.values())


def _requests(source: str, paths: list[str]) -> tuple[tuple[str, int], ...]:
    node = next(n for n in ast.parse(dedent(source)).body if isinstance(n, ast.ClassDef))
    return own_route_requests(node, route_shapes(paths))


def test_a_request_names_an_own_route_only_after_an_address_handed_in() -> None:
    paths = ["/api/recipes", "/api/recipes/{recipe_id}", "/api/v2/recipes/{recipe_id}/steps", "/v1/users/<int:pk>/",
             "/health", "/{full_path:path}", "/"]
    handed_in = """\
        class C:
            def a(self, uid):
                return self.http.get(f"{self.base}/api/recipes/{uid}?full=1")

            def b(self, base):
                url = base + "/v1/users/" + str(7) + "/"
                return httpx.request("GET", url)

            def c(self):
                return self.http.post(f"{self.cfg.url}/recipes/{self.rid}/steps")

            def d(self):
                url: str = f"{self.base}/api/recipes"
                return self.http.get(url)
        """
    assert [line for _, line in _requests(handed_in, paths)] == [3, 7, 10, 14]
    not_own = """\
        class D:
            def a(self):
                return requests.get(f"{settings.PEER}/api/recipes")   # a configured peer, not handed in

            def b(self):
                return requests.get("https://example.org/api/recipes")  # a literal host

            def c(self, uid):
                return self.http.get(f"{self.base}/v2/forecast/{uid}")  # no route of this service

            def d(self, path):
                return self.http.get(f"{self.base}/{path}")  # only a parameter: the catch-all names nothing

            @app.get("/api/recipes")
            def e(self):
                return []

            def f(self):
                return self.http.get(f"{self.base}/health")  # one segment: every service's route

            def g(self, query):
                url = f"{self.base}/api/recipes"
                url += f"?q={query}"  # bound twice: no single value to read
                return self.http.get(url)
        """
    assert _requests(not_own, paths) == ()


def test_an_instance_a_factory_of_the_class_makes_runs_what_is_called_on_it(tmp_path: Path) -> None:
    """`Cookbook.connect(url)` in the service's code may return an instance: the method called on
    what it returns runs in the service; a method called on no instance the service makes stays
    the client's."""
    sdk = SDK.replace('        def recipes(self):', '        @classmethod\n        def connect(cls, server):\n'
                      '            return cls(server)\n\n        def recipes(self):') \
        .replace('self.http.get(f"{self.server}/api/peers")', 'requests.get(f"{self.server}/api/peers")')
    mirror = """\
        from kitchen.sdk import Cookbook


        class Mirror:
            def refresh(self, peer_url):
                book = Cookbook.connect(peer_url)
                return book.peers()
        """
    found = _review(tmp_path, {"kitchen/server.py": SERVER, "kitchen/sdk.py": sdk, "kitchen/cli.py": CLI,
                               "kitchen/sync.py": mirror})
    assert found[("kitchen/sdk.py", 21)][0] != "client"  # peers: run on what connect() returned
    assert found[("kitchen/sdk.py", 18)][0] == "client"  # recipe: the service never calls it


def test_what_a_base_of_another_module_calls_on_a_made_client_runs_there(tmp_path: Path) -> None:
    """The service makes the client, so its base's `__init__` runs, and the `_warm` it calls (the
    subclass's, in another module than the base) runs in the service too; `recipes`, made only by
    a test, stays the client's."""
    base = """\
        class Base:
            def __init__(self, server):
                self.server = server
                self._warm()

            def _warm(self):
                pass
        """
    sdk = """\
        import requests

        from kitchen.base import Base


        class Cookbook(Base):
            def _warm(self):
                return requests.get(f"{self.server}/api/recipes")

            def peers(self):
                return requests.get(f"{self.server}/api/peers")

            def recipes(self):
                return requests.get(f"{self.server}/api/recipes")
        """
    mirror = """\
        from kitchen.sdk import Cookbook


        class Mirror:
            def refresh(self, peer_url):
                return Cookbook(peer_url).peers()
        """
    test = """\
        from kitchen.sdk import Cookbook


        def test_recipes():
            Cookbook("http://localhost").recipes()
        """
    found = _review(tmp_path, {"kitchen/server.py": SERVER, "kitchen/base.py": base, "kitchen/sdk.py": sdk,
                               "kitchen/sync.py": mirror, "tests/test_sdk.py": test})
    assert found[("kitchen/sdk.py", 8)][0] != "client"  # _warm, through Base.__init__
    assert found[("kitchen/sdk.py", 11)][0] != "client"  # peers, called on the instance
    assert found[("kitchen/sdk.py", 14)][0] == "client"  # recipes: only the test calls it
