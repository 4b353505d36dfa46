"""Code nothing in the review names (analysis/unreferenced.py): held back for cost-only concerns,
never for a name some file spells, a decorated definition, or a security finding."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.analysis.unreferenced import Definition, caller_spelled, judged_definitions, unnamed_definitions
from servicelens.analysis.unreferenced_methods import class_definitions
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


def test_module_functions_and_methods_of_module_level_classes_are_the_candidates() -> None:
    # Methods carry their class: a public one is judged only within a class the project only makes
    # and calls (session 25; until then public methods were never candidates).
    text = ("if TYPE_CHECKING:\n    def hidden():\n        pass\nclass Shown:\n    def get_queryset(self):\n"
            "        pass\n\n    def _helper(self):\n        pass\n\n    def __len__(self):\n        return 0\n"
            "def after():\n    pass\n")
    found = judged_definitions("a.py", text, ["hidden", "Shown", "Shown.get_queryset", "Shown._helper", "Shown.__len__",
                                              "after"])
    assert found == {"Shown.get_queryset": Definition("a.py", "get_queryset", 5, "Shown"),
                     "Shown._helper": Definition("a.py", "_helper", 8, "Shown"), "after": Definition("a.py", "after", 13)}


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


VENDORED = Path(__file__).parent / "fixtures" / "missing-timeout" / "vendored_client"


def test_methods_nothing_outside_their_class_calls_are_unreferenced() -> None:
    """A vendored client the project uses through two methods: its other methods, and the private
    helper only they call, are held back; what the project's code calls (directly, or through
    another method of the class, or by making an instance) keeps its reach."""
    report = review(VENDORED, Settings(select=frozenset({"missing-timeout"}), use_cache=False, profile="extended"))
    reach = {(f.location.path, f.location.start_line): f.reach for f in report.findings}
    client = "integrations/modelhub/client.py"
    unreferenced = {place for place, where in reach.items() if where == "unreferenced"}
    assert unreferenced == {(client, 32),   # ChatHandle.chat_completion: nothing outside calls it
                            (client, 66),   # Client.launch_model
                            (client, 71),   # Client.terminate_model
                            (client, 75),   # Client._get_json: only list_models, itself uncalled, calls it
                            (client, 90),   # AsyncClient._ping: its constructor runs for no one
                            (client, 93)}   # and its own auth check (Client's of that name is Client's)
    # rerank and get_model are called by the shop, describe_model by get_model, the auth check by
    # the constructor of a client the shop makes; the shop's own client, a handler looked up by a
    # computed name, a transport handed over as a class and a framework hook are never judged
    for place in ((client, 24), (client, 47), (client, 51), ("shop/payments.py", 16), ("shop/payments.py", 33),
                  ("shop/payments.py", 43), ("shop/ranking.py", 33)):
        assert place in reach and reach[place] != "unreferenced", place


def test_a_class_handed_over_or_spelled_in_a_string_is_not_judged() -> None:
    own = ("import requests\n\nclass Hook:\n    def fire(self):\n        requests.get('u')\n\n"
           "    def later(self):\n        requests.get('u')\n")
    for user in ("from a import Hook\nregistry.add(Hook)\nHook().fire()\n",     # handed over as a value
                 "HOOKS = ['a.Hook']\nfrom a import Hook\nHook().fire()\n",     # a dotted path in a string
                 "from a import Hook\nclass Loud(Hook):\n    pass\nregister(Loud)\nHook().fire()\n",  # a subclass handed over
                 "from a import Hook\nlogger.addFilter(Hook())\nHook().fire()\n"):  # an instance made to be handed over
        texts = {"a.py": own, "b.py": user}
        candidates = [Definition("a.py", "fire", 4, "Hook"), Definition("a.py", "later", 7, "Hook")]
        assert unnamed_definitions(candidates, texts) == frozenset(), user
    texts = {"a.py": own, "b.py": "from a import Hook\nHook().fire()\n"}
    assert unnamed_definitions([Definition("a.py", "fire", 4, "Hook"), Definition("a.py", "later", 7, "Hook")],
                               texts) == {Definition("a.py", "later", 7, "Hook")}


def test_a_class_with_a_framework_base_or_a_registering_decorator_is_not_judged() -> None:
    for header in ("class Hook(View):", "@admin.register(Order)\nclass Hook:", "class Hook(metaclass=Registry):"):
        own = f"import requests\n\n{header}\n    def later(self):\n        requests.get('u')\n"
        line = own.splitlines().index("    def later(self):") + 1
        texts = {"a.py": own, "b.py": "from a import Hook\nHook()\n"}
        assert unnamed_definitions([Definition("a.py", "later", line, "Hook")], texts) == frozenset(), header


def test_a_base_class_calling_its_own_hook_reaches_the_override() -> None:
    """A template method: the project's base calls `self.fetch_state()`, a subclass overrides it. An
    unrelated class calling its own method of that name (a sync client's async twin) reaches nothing."""
    base = ("class PolicySource:\n    def load(self):\n        return self.fetch_state()\n\n"
            "    def fetch_state(self):\n        return {}\n")
    git = ("import requests\nfrom base import PolicySource\n\nclass GitPolicySource(PolicySource):\n"
           "    def fetch_state(self):\n        return requests.get('u').content\n")
    twin = ("class Mirror:\n    def __init__(self):\n        self.pull()\n\n    def pull(self):\n        pass\n")
    lonely = ("import requests\n\nclass Fetcher:\n    def pull(self):\n        return requests.get('u')\n")
    texts = {"base.py": base, "git.py": git, "twin.py": twin, "lonely.py": lonely,
             "app.py": "from git import GitPolicySource\nfrom lonely import Fetcher\nGitPolicySource().load()\nFetcher()\n"}
    override = Definition("git.py", "fetch_state", 5, "GitPolicySource")
    uncalled = Definition("lonely.py", "pull", 4, "Fetcher")
    assert unnamed_definitions([override, uncalled], texts) == {uncalled}


def test_the_modules_that_may_define_a_class_are_read_in_one_pass() -> None:
    """Every `class NAME` statement at the start of a line names a module that may define a
    module-level class NAME (the parse decides); one pass answers every name, in the texts' order."""
    texts = {"a.py": "class Base:\n    pass\nclass\\\n  Split(Base): pass\n",
             "b.py": "class Base(object):\n    class Inner:\n        pass\n",
             "c.py": "def f():\n    class Local:\n        pass\nclassify = 1\nclass Basement: pass\n",
             "d.py": "class\nclass Next:\n    pass\n",          # a line holding only `class`, then a class
             "e.txt": "class Base:\n",                           # not Python
             "f.py": "class Größe:\n    pass\nclass _Ünder: pass\n"}  # identifiers beyond ASCII
    found = class_definitions(texts)
    assert found["Base"] == ("a.py", "b.py")
    assert found["Basement"] == ("c.py",) and found["Next"] == ("d.py",)
    assert found["Größe"] == ("f.py",) and found["_Ünder"] == ("f.py",)
    assert "Inner" not in found and "Local" not in found and "classify" not in found
    assert "Split" not in found  # a continuation line is not a class statement at the start of a line


def test_a_base_defined_in_another_module_is_found_from_the_one_pass() -> None:
    """The project's base (defined elsewhere, beside a module spelling it in a docstring only)
    is followed: the override it calls is reached, the method nothing calls is not."""
    base = "class Source:\n    def load(self):\n        return self.fetch()\n"
    note = '"""\nclass Source: described here, defined in base.py\n"""\n'
    child = ("import requests\nfrom base import Source\n\nclass Remote(Source):\n"
             "    def fetch(self):\n        return requests.get('u')\n\n    def spare(self):\n        return requests.get('u')\n")
    texts = {"note.py": note, "base.py": base, "child.py": child, "app.py": "from child import Remote\nRemote().load()\n"}
    fetch, spare = Definition("child.py", "fetch", 5, "Remote"), Definition("child.py", "spare", 8, "Remote")
    assert unnamed_definitions([fetch, spare], texts) == {spare}


def test_only_the_methods_asked_and_those_leading_to_them_are_judged() -> None:
    """`uncalled_methods(..., asked)` answers as the whole class's reading does, for the asked
    methods only: a method is reached through the methods that call it inside the class, so only
    those are looked up in other files, and a file spelling another method's name is not read."""
    from servicelens.analysis.unreferenced import wrapping_decorators
    from servicelens.analysis.unreferenced_methods import ClassUses, module_uses, uncalled_methods

    own = ("import requests\n\nclass Client:\n"
           "    def __init__(self):\n        self._auth()\n\n"
           "    def _auth(self):\n        requests.get('a')\n\n"
           "    def fetch(self):\n        return self._get()\n\n"
           "    def _get(self):\n        return requests.get('g')\n\n"
           "    def upload(self):\n        return self._put()\n\n"
           "    def _put(self):\n        return requests.put('p')\n\n"
           "    def report(self):\n        return requests.get('r')\n")
    texts = {"client.py": own, "app.py": "from client import Client\nClient().fetch()\n",
             "other.py": "def report():\n    return 1\n", "notes.md": "call upload when done\n"}
    read: list[str] = []

    def python(path: str):
        read.append(path)
        return module_uses(texts[path], wrapping_decorators())

    whole = uncalled_methods("client.py", "Client", ClassUses(texts, python))
    # `upload` is named in a note, `fetch` made and called: only `report` (another module's `def
    # report` names nothing) is left
    assert whole == {"report"}
    for asked in (["_get"], ["_put"], ["_auth", "report"], ["fetch", "_put", "missing"]):
        uses = ClassUses(texts, python)
        assert uncalled_methods("client.py", "Client", uses, asked) == whole & set(asked), asked
    read.clear()
    uncalled_methods("client.py", "Client", ClassUses(texts, python), ["_get"])
    assert "other.py" not in read  # only `report` is spelled there, and nothing asked leads through it
    read.clear()
    assert uncalled_methods("client.py", "Client", ClassUses(texts, python), ["report"]) == {"report"}
    assert "other.py" in read


def test_a_class_a_module_quotes_is_dropped_before_its_other_spellings_are_read() -> None:
    """A class named in a settings string is not judged; the module quoting it is read first, so
    the many modules that only import or call it are not read to look for its subclasses."""
    from servicelens.analysis.unreferenced import wrapping_decorators
    from servicelens.analysis.unreferenced_methods import ClassUses, module_uses, uncalled_methods

    own = "import requests\n\nclass Hook:\n    def later(self):\n        requests.get('u')\n"
    texts = {"a.py": own, **{f"use{i}.py": "from a import Hook\nHook()\n" for i in range(5)},
             "settings.py": "PLUGINS = ['a.Hook']\n"}
    read: list[str] = []

    def python(path: str):
        read.append(path)
        return module_uses(texts[path], wrapping_decorators())

    assert uncalled_methods("a.py", "Hook", ClassUses(texts, python)) is None
    assert "settings.py" in read and not any(path.startswith("use") for path in read)
    texts["settings.py"] = "PLUGINS = []\n"  # nothing quotes it: every spelling is read, the class judged
    read.clear()
    assert uncalled_methods("a.py", "Hook", ClassUses(texts, python)) == {"later"}
    assert all(f"use{i}.py" in read for i in range(5))
