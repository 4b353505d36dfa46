"""Code nothing in the review names (analysis/unreferenced.py): held back for cost-only concerns,
never for a name some file spells, a decorated definition, or a security finding."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.analysis.unreferenced import Definition, caller_spelled, judged_definitions, unnamed_definitions
from servicelens.api import review
from servicelens.config.settings import Settings


def test_what_a_caller_must_spell() -> None:
    assert caller_spelled("helper") == ("helper",)
    assert caller_spelled("Adapter._pay") == ("Adapter", "_pay")
    assert caller_spelled("build.<locals>.inner") == ("build",)
    assert caller_spelled("Adapter._pay.<locals>.retry") == ("Adapter", "_pay")


def test_a_name_spelled_anywhere_else_is_named() -> None:
    texts = {"a.py": "def helper():\n    pass\n\ndef lonely():\n    pass\n\ndef configured():\n    pass\n",
             "b.py": "from a import helper\n\nresult = helper()\n",
             "settings.yaml": "handler: pkg.a.configured\n"}
    found = unnamed_definitions([Definition("a.py", "helper", 1), Definition("a.py", "lonely", 4),
                                 Definition("a.py", "configured", 7)], texts)
    assert found == {Definition("a.py", "lonely", 4)}


def test_imports_all_docstrings_and_comments_lead_to_no_call() -> None:
    # A helper re-exported by its package and mentioned in prose, which nothing uses (session 23;
    # until then a comment or an import counted as naming it).
    texts = {"pkg/req.py": 'def make_request(url):\n    """Callers of make_request beware."""\n    return url\n',
             "pkg/__init__.py": "from .req import make_request\n\n__all__ = ['make_request']\n",
             "pkg/const.py": 'class Const:\n    """Constants for make_request()."""\n# make_request is old\n'}
    definition = Definition("pkg/req.py", "make_request", 1)
    assert unnamed_definitions([definition], texts) == {definition}


def test_any_use_of_the_name_in_python_names_it() -> None:
    definition = Definition("pkg/req.py", "make_request", 1)
    own = "def make_request(url):\n    return url\n"
    for user in ("from pkg.req import make_request\nmake_request('x')\n",    # a call
                 "import pkg.req\nJOBS = [pkg.req.make_request]\n",          # an attribute, as a value
                 "HANDLER = 'pkg.req.make_request'\n",                        # a dotted path in a string
                 "from pkg.req import make_request as fetch\nfetch('x')\n",  # imported under another name
                 "def run(make_request=None):\n    pass\n",                  # a parameter so named
                 "def broken(:\n    make_request\n"):                        # does not parse
        assert unnamed_definitions([definition], {"pkg/req.py": own, "pkg/use.py": user}) == frozenset(), user
    recursive = "def make_request(url):\n    return make_request(url)\n"
    assert unnamed_definitions([definition], {"pkg/req.py": recursive}) == frozenset()


def test_decorated_and_dunder_definitions_are_never_judged() -> None:
    texts = {"a.py": "@app.route('/x')\ndef view():\n    pass\n\n@shared_task\n\ndef job():\n    pass\n\n"
                     "def __getattr__(name):\n    pass\n"}
    defs = judged_definitions("a.py", texts["a.py"], ["view", "job", "__getattr__"])
    assert unnamed_definitions(defs.values(), texts) == frozenset()


def test_a_decorator_that_only_wraps_registers_nothing() -> None:
    texts = {"a.py": "@functools.lru_cache(maxsize=2)\n@retry\ndef cached_helper():\n    pass\n\n"
                     "@lru_cache\n@router.get('/x')\ndef routed():\n    pass\n"}
    defs = judged_definitions("a.py", texts["a.py"], ["cached_helper", "routed"])
    assert unnamed_definitions(defs.values(), texts) == {Definition("a.py", "cached_helper", 3)}


def test_only_module_functions_and_private_methods_are_judged() -> None:
    text = ("if TYPE_CHECKING:\n    def hidden():\n        pass\nclass Shown:\n    def get_queryset(self):\n"
            "        pass\n\n    def _helper(self):\n        pass\n\n    def __len__(self):\n        return 0\n"
            "def after():\n    pass\n")
    found = judged_definitions("a.py", text, ["hidden", "Shown", "Shown.get_queryset", "Shown._helper", "Shown.__len__",
                                              "after"])
    assert found == {"Shown._helper": Definition("a.py", "_helper", 8), "after": Definition("a.py", "after", 13)}


CLIENT = """\
    import requests


    def fetch_rates(url):
        return requests.get(url).json()


    def old_fetch(url):
        return requests.get(url).json()


    class OldAdapter:
        def pay(self, url):
            return requests.post(url, json={}).json()

        def _refund(self, url):
            return requests.post(url, json={}).json()


    def old_signup(password):
        import hashlib
        return hashlib.md5(password.encode()).hexdigest()
    """

USES = """\
    from flask import Flask

    from shop.client import fetch_rates

    app = Flask(__name__)


    @app.get("/rates")
    def refresh():
        return fetch_rates("https://rates.example.org/today")
    """


def _found(root: Path) -> dict[tuple[str, int], tuple[str, str]]:
    for rel, text in {"shop/__init__.py": "", "shop/client.py": CLIENT, "shop/uses.py": USES}.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(dedent(text))
    report = review(root, Settings(use_cache=False, profile="extended"))
    return {(f.concern, f.location.start_line): (f.reach, f.held_back) for f in report.findings}


def test_cost_only_findings_in_unnamed_code_are_held_back(tmp_path: Path) -> None:
    found = _found(tmp_path)
    named = found[("missing-timeout", 5)]
    assert named[0] == "request"  # fetch_rates is called by a route
    for line in (9, 17):  # old_fetch, and OldAdapter's private method: nothing names either
        reach, held = found[("missing-timeout", line)]
        assert reach == "unreferenced"
        assert "nothing in the review names" in held
    # a public method of a class nothing names: a plugin registry may find it (not judged)
    assert found[("missing-timeout", 14)][0] == ""


def test_security_findings_in_unnamed_code_keep_their_reach(tmp_path: Path) -> None:
    found = _found(tmp_path)
    security = [(concern, reach) for (concern, line), (reach, _) in found.items() if line >= 20]
    assert security and all(reach != "unreferenced" for _, reach in security)


def test_nothing_is_judged_where_nothing_is_reached(tmp_path: Path) -> None:
    """A library or a file reviewed alone: no route, command or job, so no caller by construction."""
    (tmp_path / "client.py").write_text(dedent(CLIENT))
    report = review(tmp_path, Settings(use_cache=False, profile="extended"))
    assert {f.reach for f in report.findings if f.concern == "missing-timeout"} == {""}
