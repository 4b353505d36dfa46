"""Every fix is written from the finding's own code.

The review runs over the fixture tree, the Django project fixtures and the bundled example;
for every finding with fix code:
- the code names at least one identifier of the code it fixes (its snippet and evidence),
  so it cannot be an example lifted from another context;
- Python fix code parses (after dedent), so it is code, not pseudo-code.
"""
from __future__ import annotations

import ast
import keyword
import re
import textwrap
from pathlib import Path

import pytest

from servicelens.api import review
from servicelens.config.loader import load_settings
from servicelens.fixcode import code_lines
from servicelens.model.finding import Finding

ROOT = Path(__file__).resolve().parent.parent
TREES = (ROOT / "tests" / "fixtures", ROOT / "tests" / "projects", ROOT / "examples" / "payments-service")

# Words that say nothing about which code a fix is for.
_NOISE = set(keyword.kwlist) | {"self", "None", "True", "False", "str", "int", "dict", "list", "len", "print"}
_ANNOTATION = re.compile(r"(#|//)\s*(expect|ok|todo-expect|todo-ok|source)\s*:.*$")

# Rules whose fix is about something the code does not contain, so it cannot name it:
EXEMPT_RULES = frozenset({
    "openapi-no-rate-limit",        # a document-level gap: the fix adds a 429 response the file never had
    "openapi-inconsistent-errors",  # the fix is a shared Problem schema the document lacks
})

# Rules whose fixes are still examples rather than rewrites of the finding's code; each
# entry must keep failing the check (see test_known_gaps_are_real), so it is removed as
# soon as the rule is fixed.
KNOWN_GAPS = frozenset({
    "k8s-committed-secret", "openapi-no-security",
    "compose-published-datastore",  # keeps its own port mapping, but a port is a number, not a name
})


def _identifiers(text: str) -> set[str]:
    return {t for t in re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text) if t not in _NOISE and len(t) > 1}


def _fixed_code(finding: Finding) -> str:
    parts = [finding.snippet] + [step.code for step in finding.evidence]
    return "\n".join(_ANNOTATION.sub("", line) for part in parts for line in part.split("\n"))


def _problems(finding: Finding) -> list[str]:
    fix = finding.fix
    if fix is None or not fix.code.strip():
        return []
    problems = []
    fixed = _fixed_code(finding)
    # a name the code defines (`def list(self, request)`, a DRF action) is never noise there
    defined = set(re.findall(r"\b(?:def|class)\s+([A-Za-z_]\w*)", fixed))
    if not _identifiers(fix.code) & _identifiers(fixed) and not defined & set(re.findall(r"\w+", fix.code)):
        problems.append("names nothing from the code it fixes")
    if fix.language == "python":
        try:
            ast.parse(textwrap.dedent(fix.code))
        except SyntaxError as error:
            problems.append(f"does not parse: {error.msg}")
    return problems


@pytest.fixture(scope="module")
def findings() -> list[Finding]:
    found: list[Finding] = []
    for tree in TREES:
        found += review(tree, load_settings(tree, include_tests=True, use_cache=False, profile="extended")).findings
    return found


def _by_rule(findings: list[Finding]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for finding in findings:
        for problem in _problems(finding):
            out.setdefault(finding.rule, []).append(
                f"{finding.location.path}:{finding.location.start_line} {problem}\n    fix: {finding.fix.code[:160]!r}")  # type: ignore[union-attr]
    return out


def test_every_fix_is_grounded_and_parses(findings: list[Finding]) -> None:
    bad = {rule: items for rule, items in _by_rule(findings).items() if rule not in EXEMPT_RULES | KNOWN_GAPS}
    assert not bad, "\n".join(f"[{rule}] {item}" for rule, items in sorted(bad.items()) for item in items)


def test_known_gaps_are_real(findings: list[Finding]) -> None:
    """A rule listed as a known gap that no longer fails must leave the list."""
    failing = set(_by_rule(findings))
    promoted = sorted(KNOWN_GAPS - failing)
    assert not promoted, f"these rules are grounded now, remove them from KNOWN_GAPS: {promoted}"


@pytest.mark.parametrize(("concern", "line", "callee", "expected"), [
    ("insecure-deserialization", "data = yaml.load(body)", "yaml.load", "data = yaml.safe_load(body)"),
    ("insecure-deserialization", "state = pickle.loads(blob)  # note", "pickle.loads", "state = json.loads(blob)"),
    ("command-injection", 'subprocess.run(f"tar -xzf {archive}", shell=True)', "subprocess.run",
     'subprocess.run(["tar", "-xzf", archive])'),
    ("sql-injection", "cur.execute(\"SELECT * FROM t WHERE a = '\" + a + \"' AND b = \" + b)", "execute",
     'cur.execute("SELECT * FROM t WHERE a = %s AND b = %s", (a, b))'),
    ("sql-injection", "db.execute(\"SELECT * FROM t WHERE \" + clause)", "execute",
     'db.execute("SELECT * FROM t WHERE " + ALLOWED_CLAUSE[clause])'),
    ("sql-injection", "cur.execute(\"SELECT * FROM t WHERE m LIKE '%\" + q + \"%'\")", "execute",
     'cur.execute("SELECT * FROM t WHERE m LIKE %s", (f"%{q}%",))'),
    # an expression that uses double quotes goes into a single-quoted f-string (one quote kind before 3.12)
    ("sql-injection", "cur.execute(\"SELECT * FROM t WHERE m LIKE '%\" + r.get(\"q\") + \"%'\")", "execute",
     "cur.execute(\"SELECT * FROM t WHERE m LIKE %s\", (f'%{r.get(\"q\")}%',))"),
    ("header-injection", 'log.info("user " + name)', "info", 'log.info("user %r", name)'),
    ("redos", "re.search(pattern, text)", "re.search", "re.search(re.escape(pattern), text)"),
])
def test_sink_rewrites_keep_the_line(concern: str, line: str, callee: str, expected: str) -> None:
    from servicelens.fixcode.injection import rewrite_sink

    fixed = rewrite_sink(concern, line, callee, "python")
    assert fixed is not None and expected in fixed


def test_comments_of_the_reviewed_line_stay_out_of_the_fix() -> None:
    assert code_lines('x = f("a#b")  # expect: thing') == 'x = f("a#b")'


@pytest.mark.parametrize(("kind", "line", "callee", "expected"), [
    ("cipher", "cipher = DES.new(key, DES.MODE_ECB)", "DES.new", "cipher = AES.new(key, AES.MODE_GCM)"),
    ("cipher", "return DES3.new(k[:24], DES3.MODE_CBC).encrypt(pad(blob, 8))", "DES3.new",
     "cipher = AES.new(k, AES.MODE_GCM)\nciphertext, tag = cipher.encrypt_and_digest(blob)\n"
     "return cipher.nonce + tag + ciphertext"),
    ("cipher", "c = Cipher(algorithms.TripleDES(k), modes.CBC(iv))", "algorithms.TripleDES",
     "nonce = os.urandom(12)\nc = Cipher(algorithms.AES(k), modes.GCM(nonce))"),
    ("ecb", "enc = Cipher(algorithms.AES(k), modes.ECB()).encryptor()", "Cipher",
     "enc = Cipher(algorithms.AES(k), modes.GCM(nonce)).encryptor()"),
    ("ecb", "c = AES.new(card_key, AES.MODE_ECB)", "AES.new", "c = AES.new(card_key, AES.MODE_GCM)"),
    ("iv", "c = AES.new(k, AES.MODE_CBC, STATIC_IV)", "AES.new", "iv = os.urandom(16)\nc = AES.new(k, AES.MODE_CBC, iv)"),
    ("iv", "c = AES.new(k, AES.MODE_GCM, nonce=nonce)", "AES.new", "nonce = os.urandom(12)\nc = AES.new(k, AES.MODE_GCM, nonce=nonce)"),
    ("iv", "return AESGCM(k).encrypt(NONCE, data, None)", "encrypt",
     "nonce = os.urandom(12)\nreturn nonce + AESGCM(k).encrypt(nonce, data, None)"),
    ("iv", "e = Cipher(algorithms.TripleDES(k), modes.CBC(b'\\0' * 8))", "modes.CBC", "iv = os.urandom(8)"),
    ("rsa", "key = rsa.generate_private_key(public_exponent=65537, key_size=1024)", "generate_private_key",
     "key = rsa.generate_private_key(public_exponent=65537, key_size=3072)"),
    ("rsa", "return RSA.generate(1024)", "RSA.generate", "return RSA.generate(3072)"),
    ("key", 'c = AES.new(b"secret".ljust(16), AES.MODE_EAX)', "AES.new",
     'key = base64.b64decode(os.environ["ENCRYPTION_KEY"])'),
])
def test_cipher_rewrites_keep_the_call(kind: str, line: str, callee: str, expected: str) -> None:
    from servicelens.fixcode.crypto import rewrite_cipher

    fixed = rewrite_cipher(kind, line, callee)
    assert fixed is not None and expected in fixed and ast.parse(fixed)


def test_cipher_rewrite_declines_what_it_cannot_see() -> None:
    from servicelens.fixcode.crypto import rewrite_cipher

    assert rewrite_cipher("iv", "    AES.MODE_CBC, STATIC_IV)", "AES.new") is None


_FLASK_PROMOTE = {"framework": "flask", "name": "promote", "params": ("user_id",), "def_line": "def promote(user_id):",
                  "decorators": ('@bp.post("/users/<int:user_id>/promote")', "@login_required")}


@pytest.mark.parametrize(("handler", "check", "expected"), [
    (_FLASK_PROMOTE, {}, '@login_required\ndef promote(user_id):\n    if not current_user.is_admin:\n        abort(403)'),
    (_FLASK_PROMOTE, {"decorator": "@admin_required"}, "@login_required\n@admin_required\ndef promote(user_id):"),
    (_FLASK_PROMOTE, {"call": "_ensure_admin()"}, "def promote(user_id):\n    _ensure_admin()\n"),
    ({"framework": "django", "name": "make_staff", "def_line": "def make_staff(request, pk):",
      "decorators": ("@login_required",)}, {},
     "@login_required\n@user_passes_test(lambda u: u.is_staff)\ndef make_staff(request, pk):"),
    ({"framework": "django", "name": "patch", "params": ("self", "request", "pk"), "class_name": "UserAdmin",
      "class_bases": ("APIView",), "def_line": "def patch(self, request, pk):"}, {},
     "class UserAdmin(APIView):\n    permission_classes = [IsAdminUser]\n\n    def patch(self, request, pk):"),
    ({"framework": "django", "name": "post", "params": ("self", "req"), "class_name": "Grant",
      "class_bases": ("View",), "def_line": "def post(self, req):"}, {},
     "    def post(self, req):\n        if not req.user.is_staff:\n            raise PermissionDenied"),
    ({"framework": "fastapi", "name": "list_users", "decorators": ('@router.get("/users")',),
      "def_line": "def list_users(user: User = Depends(get_current_user), db=Depends(get_db)):"},
     {"dependency": "get_current_superuser"},
     "def list_users(user: User = Depends(get_current_superuser), db=Depends(get_db)):"),
    ({"framework": "fastapi", "name": "list_users", "decorators": ('@router.get("/users")',),
      "def_line": "async def list_users(me: Account = Depends(current_account)):"}, {},
     "def require_admin(me: Account = Depends(current_account)) -> Account:\n    if not me.is_admin:"),
])
def test_require_admin_uses_the_handler_and_the_project_guard(handler: dict, check: dict, expected: str) -> None:
    from servicelens.fixcode.routes import Handler, RoleCheck, require_admin

    fixed = require_admin(Handler(**handler), RoleCheck(**check))
    assert expected in fixed and ast.parse(fixed)
    assert Handler(**handler).name in fixed


def test_require_admin_has_no_code_without_an_idiom() -> None:
    from servicelens.fixcode.routes import Handler, require_admin

    assert require_admin(Handler("tornado", "post", ("self",))) == ""
    # FastAPI with no caller dependency and no admin dependency of the project: nothing to build on
    assert require_admin(Handler("fastapi", "stats", def_line="def stats():")) == ""


def test_drop_decorators_keeps_the_rest_of_the_view() -> None:
    from servicelens.fixcode.routes import Handler, drop_decorators

    view = Handler("django", "post", ("self", "request"), class_name="AddressView", class_bases=("View",),
                   def_line="def post(self, request):", decorators=("@login_required",),
                   class_decorators=('@method_decorator(csrf_exempt, name="dispatch")', "@never_cache"))
    fixed = drop_decorators(view, frozenset({"csrf_exempt"}))
    assert "csrf_exempt" not in fixed and ast.parse(fixed)
    assert fixed.startswith("@never_cache\nclass AddressView(View):\n    @login_required\n    def post(self, request):")


@pytest.mark.parametrize(("factory", "expected"), [
    ("", 'application = Flask(__name__)\nCSRFProtect(application)\napplication.config.update(SESSION_COOKIE_SAMESITE="Lax")'),
    ("def create_app(config=None):", "def create_app(config=None):\n    application = Flask(__name__)\n    CSRFProtect(application)"),
])
def test_protect_flask_app_names_the_app_object(factory: str, expected: str) -> None:
    from servicelens.fixcode.routes import protect_flask_app

    fixed = protect_flask_app("application", "application = Flask(__name__)", factory)
    assert expected in fixed and ast.parse(fixed)


def test_list_with_entry_keeps_the_projects_order() -> None:
    from servicelens.fixcode.settings import list_with_entry

    fixed = list_with_entry("MIDDLEWARE", ("a.SessionMiddleware", "b.CommonMiddleware", "c.AuthenticationMiddleware"),
                            "d.CsrfViewMiddleware", ("SessionMiddleware", "CommonMiddleware"))
    assert ast.literal_eval(fixed.partition("=")[2].strip()) == [
        "a.SessionMiddleware", "b.CommonMiddleware", "d.CsrfViewMiddleware", "c.AuthenticationMiddleware"]


@pytest.mark.parametrize(("line", "fields", "loop", "expected"), [
    ("user = User(**request.get_json())", ("email",), "",
     'USER_FIELDS = frozenset({"email"})  # what clients may set\n'
     "user = User(**{k: v for k, v in request.get_json().items() if k in USER_FIELDS})"),
    ("user.sqlmodel_update(payload.model_dump(exclude_unset=True))", (), "",
     "user.sqlmodel_update(payload.model_dump(exclude_unset=True, include=USER_FIELDS))"),
    ("User.query.filter_by(id=uid).update(request.json)", (), "",
     "update({k: v for k, v in request.json.items() if k in USER_FIELDS})"),
    ("        setattr(account, key, value)", (), "for key, value in data.items():",
     "for key, value in data.items():\n    if key in USER_FIELDS:\n        setattr(account, key, value)"),
])
def test_bindings_are_narrowed_in_place(line: str, fields: tuple[str, ...], loop: str, expected: str) -> None:
    from servicelens.fixcode.binding import allow_listed

    fixed = allow_listed(line, "USER_FIELDS", fields, loop)
    assert fixed is not None and expected in fixed and ast.parse(fixed)


def test_binding_names_and_fixed_keys() -> None:
    from servicelens.fixcode.binding import allow_listed, allowed_name

    assert allowed_name("UserTable") == "USER_TABLE_FIELDS"
    assert allowed_name("", "current_user") == "USER_FIELDS"
    assert allowed_name("", "self") == "WRITABLE_FIELDS"
    assert allow_listed('Setting.query.update({"value": request.json["value"]})', "SETTING_FIELDS") is None


def test_meta_class_keeps_the_projects_fields() -> None:
    from servicelens.fixcode.binding import meta_class

    serializer = meta_class("serializer", "Account", ("id", "name", "credit"), ("credit",))
    assert 'fields = ["id", "name", "credit"]\n    read_only_fields = ["credit"]' in serializer
    form = meta_class("form", "Account", ("name", "owner"), ("owner",))
    assert 'fields = ["name"]  # not owner' in form and ast.parse(serializer) and ast.parse(form)


@pytest.mark.parametrize(("line", "expected"), [
    ("r = requests.get(url, verify=False, timeout=3)", 'r = requests.get(url, verify=os.environ.get("CA_BUNDLE", True), timeout=3)'),
    ("s.verify = False", 's.verify = os.environ.get("CA_BUNDLE", True)'),
    ("ctx.check_hostname = False", "ctx.check_hostname = True"),
    ("ctx.verify_mode = ssl.CERT_NONE", "ctx.verify_mode = ssl.CERT_REQUIRED"),
    ('pool = urllib3.PoolManager(cert_reqs="CERT_NONE")', 'pool = urllib3.PoolManager(cert_reqs="CERT_REQUIRED")'),
    ("ctx = ssl._create_unverified_context()", "ctx = ssl.create_default_context()"),
    ("async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(verify_ssl=False)) as s:",
     "ssl_context = ssl.create_default_context()  # cafile=... for a private CA\n"
     "async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=ssl_context)) as s:\n    ..."),
])
def test_tls_rewrites_keep_the_statement(line: str, expected: str) -> None:
    from servicelens.fixcode.tls import verifying

    fixed = verifying(line)
    assert fixed is not None and expected in fixed and ast.parse(fixed)


def test_tls_process_wide_switch_is_deleted_not_rewritten() -> None:
    from servicelens.fixcode.tls import verifying

    assert verifying("ssl._create_default_https_context = ssl._create_unverified_context") is None


@pytest.mark.parametrize(("code", "callee", "keywords", "replace", "expected"), [
    ("@retry", "retry", {"stop": "s(5)"}, False, "@retry(stop=s(5))"),
    ("@retry(stop=s(3))", "retry", {"stop": "s(5)", "wait": "w()"}, False, "@retry(stop=s(3), wait=w())"),
    ("r = requests.get(url)", "get", {"timeout": "10"}, False, "r = requests.get(url, timeout=10)"),
    ("r = Retry(total=3, allowed_methods=None)", "Retry", {"allowed_methods": "M"}, True, "r = Retry(total=3, allowed_methods=M)"),
])
def test_with_keywords_adds_to_the_call_as_written(code: str, callee: str, keywords: dict, replace: bool,
                                                   expected: str) -> None:
    from servicelens.fixcode.source import with_keywords

    assert with_keywords(code, callee, keywords, replace) == expected


def test_retry_rewrites() -> None:
    from servicelens.fixcode.retry import (backoff_decorator, loop_as_decorator, retry_policy, tenacity_decorator,
                                           with_idempotency_key)

    assert "@retry(stop=stop_after_attempt(5), wait=wait_exponential_jitter(initial=0.5, max=10))\ndef f(x):" in \
        tenacity_decorator("@retry", "def f(x):")
    assert backoff_decorator("@backoff.on_exception(backoff.expo, E)", "def ping():").startswith(
        "@backoff.on_exception(backoff.expo, E, max_tries=5, max_time=30)\ndef ping():")
    assert retry_policy('r = Retry(total=3, method_whitelist=["POST"])', True) == \
        "r = Retry(total=3, allowed_methods=Retry.DEFAULT_ALLOWED_METHODS)"
    assert retry_policy("r = Retry(total=3)", False) == "r = Retry(total=3, backoff_factor=0.5)"
    looped = loop_as_decorator("def load(url):", "    r = get(url)\n    return r.json()", 3, "IOError")
    assert looped is not None and ast.parse(looped)
    assert "retry=retry_if_exception_type(IOError), reraise=True)\ndef load(url):\n    r = get(url)\n    return r.json()" in looped
    assert loop_as_decorator("def load(url):", "r = get(url)\nbreak", 3) is None  # not a returning try body
    assert with_idempotency_key('r = requests.post(u, headers={"A": a})') == \
        'r = requests.post(u, headers={"A": a, "Idempotency-Key": idempotency_key})'
    assert with_idempotency_key("requests.post(u, json=o)") == \
        'requests.post(u, json=o, headers={"Idempotency-Key": idempotency_key})'
    assert with_idempotency_key("stripe.Charge.create(amount=a)") == \
        "stripe.Charge.create(amount=a, idempotency_key=idempotency_key)"


@pytest.mark.parametrize(("line", "name", "expected"), [
    ("HITS += 1", "HITS", 'HITS = redis_client.incr("hits")'),
    ("STOCK -= qty", "STOCK", 'STOCK = redis_client.decr("stock", qty)'),
    ("SEATS[seat] = user_id", "SEATS", 'redis_client.hset("seats", seat, user_id)'),
    ("del SEATS[seat]", "SEATS", 'redis_client.hdel("seats", seat)'),
    ("JOBS.append(job)", "JOBS", 'redis_client.rpush("jobs", job)'),
    ("ENTRIES.clear()", "ENTRIES", 'redis_client.delete("entries")  # ENTRIES, emptied for every worker'),
    ("SEEN.update(batch)", "SEEN", 'redis_client.hset("seen", mapping=batch)'),
])
def test_module_state_moves_to_redis(line: str, name: str, expected: str) -> None:
    from servicelens.fixcode.shared_state import in_redis

    fixed = in_redis(line, name)
    assert fixed is not None and fixed.startswith(expected)


def test_module_state_without_a_one_command_equivalent_has_no_code() -> None:
    from servicelens.fixcode.shared_state import in_redis

    assert in_redis("value = CACHE.pop(key)", "CACHE") is None
    assert in_redis("TOTAL *= 2", "TOTAL") is None


def test_cache_rewrites() -> None:
    from servicelens.fixcode.caching import expiring_decorator, single_flight, with_ttl

    assert with_ttl("r.set(k, v)", redis=True) == "r.set(k, v, ex=300 + random.randint(0, 30))"
    assert with_ttl("cache.set(k, v, None)", redis=False) == "cache.set(k, v, 300 + random.randint(0, 30))"
    assert with_ttl("cache.set(k, v)", redis=False) == "cache.set(k, v, timeout=300 + random.randint(0, 30))"
    assert "@ttl_cache(maxsize=64, ttl=300)" in expiring_decorator("@lru_cache(maxsize=64)", "def limits(pid):")
    fixed = single_flight("cached = r.get(key)", "data = fetch(key)", "r.set(key, data)", redis=True)
    assert fixed is not None and ast.parse(fixed)
    assert 'if cached is None and r.set(f"{key}:lock", 1, nx=True, ex=30):' in fixed
    assert "    data = fetch(key)\n    r.set(key, data, ex=300 + random.randint(0, 30))\n    r.delete(" in fixed


@pytest.mark.parametrize(("line", "fields", "expected"), [
    ("return JsonResponse(model_to_dict(user))", ("id", "email"), 'model_to_dict(user, fields=["id", "email"])'),
    ('data = serializers.serialize("json", qs)', (), 'serializers.serialize("json", qs, fields=USER_PUBLIC_FIELDS)'),
    ("return jsonify(current_user.__dict__)", (), "{k: getattr(current_user, k) for k in USER_PUBLIC_FIELDS}"),
    ("payload = vars(customer)", ("name",), 'payload = {k: getattr(customer, k) for k in ["name"]}'),
    ("return jsonify(dict(row))", (), "{k: row[k] for k in USER_PUBLIC_FIELDS}"),
])
def test_dumps_are_narrowed_to_public_fields(line: str, fields: tuple[str, ...], expected: str) -> None:
    from servicelens.fixcode.exposure import only_public

    fixed = only_public(line, fields, "USER_PUBLIC_FIELDS")
    assert fixed is not None and expected in fixed and ast.parse(fixed)


def test_exposure_names_and_schemas() -> None:
    from servicelens.fixcode.exposure import public_name, public_serializer_meta
    from servicelens.fixcode.routes import Handler, with_response_model

    assert public_name("", "current_user") == "USER_PUBLIC_FIELDS"
    assert public_name("Customer", "c") == "CUSTOMER_PUBLIC_FIELDS"
    assert public_serializer_meta("Customer", ("id", "name"), ("ssn",)).endswith('fields = ["id", "name"]  # not ssn')
    route = Handler("fastapi", "read_user", def_line="def read_user(user_id: int):",
                    decorators=('@router.get("/{user_id}", response_model=User)',))
    fixed = with_response_model(route, "UserPublic", "return user")
    assert fixed.startswith('@router.get("/{user_id}", response_model=UserPublic)\ndef read_user(user_id: int):')
    assert fixed.endswith("return user  # now filtered through UserPublic") and ast.parse(fixed)
    assert with_response_model(Handler("fastapi", "f", decorators=("@cached",)), "S") == ""


@pytest.mark.parametrize(("line", "query", "orm", "framework", "expected"), [
    ("members = User.query.filter_by(team_id=t).all()", "User.query.filter_by(team_id=t).all()", "sqlalchemy", "flask",
     "members = User.query.filter_by(team_id=t).limit(limit).offset(offset).all()"),
    ("return db.scalars(select(User).where(User.ok)).all()", "db.scalars(select(User).where(User.ok)).all()",
     "sqlalchemy", "fastapi", "return db.scalars(select(User).where(User.ok).limit(limit).offset(offset)).all()"),
    ('products = Product.objects.filter(active=True)', "Product.objects.filter(active=True)", "django", "django",
     'products = Paginator(Product.objects.filter(active=True), 50).get_page(request.GET.get("page"))'),
    ('cur.execute("SELECT id FROM orders")', "SELECT id FROM orders", "dbapi", "flask",
     'cur.execute("SELECT id FROM orders ORDER BY id LIMIT %s OFFSET %s", (limit, offset))'),
])
def test_queries_get_a_bounded_page(line: str, query: str, orm: str, framework: str, expected: str) -> None:
    from servicelens.fixcode.paging import bounded

    fixed = bounded(line, query, orm, framework)
    assert fixed is not None and fixed.endswith(expected) and ast.parse(fixed)


def test_paginated_view_and_page_parameters() -> None:
    from servicelens.fixcode.paging import page_parameters, paginated_view

    view = paginated_view("class OrderExport(ReadOnlyModelViewSet):", "Order.objects.all()")
    assert "class OrderExport(ReadOnlyModelViewSet):\n    queryset = Order.objects.all()\n    pagination_class = " in view
    assert ast.parse(view) and "min(request.args.get" in page_parameters("flask")


def test_body_limits() -> None:
    from servicelens.fixcode.body_limits import bounded_list_field, bounded_list_param, streamed_body, upload_checked

    assert upload_checked("data = await doc.read()", "doc", "MAX_UPLOAD").startswith(
        "if doc.size is None or doc.size > MAX_UPLOAD:")
    streamed = streamed_body("body = await request.body()", "MAX_BODY")
    assert streamed is not None and "async for chunk in request.stream():\n    body += chunk" in streamed
    assert bounded_list_param("async def many(items: list[Item], q: str = ''):", "items").startswith(
        "async def many(items: Annotated[list[Item], Body(max_length=100)], q: str = ''):")
    assert bounded_list_field("items: list[Item]") == "items: list[Item] = Field(max_length=100)  # 422 above 100 items"
    assert bounded_list_field("tags: list[str] = Field(default_factory=list)").startswith(
        "tags: list[str] = Field(default_factory=list, max_length=100)")
    assert bounded_list_field("tags: list[str] = []") == "tags: list[str] = Field(default_factory=list, max_length=100)"


def test_on_flask_app_follows_the_creation_line() -> None:
    from servicelens.fixcode.routes import on_flask_app

    assert on_flask_app("api", "api = Flask(__name__)", "", ['{app}.config["X"] = 1']) == \
        'api = Flask(__name__)\napi.config["X"] = 1'
    nested = on_flask_app("app", "app = Flask(__name__)", "def create_app():", ["CSRFProtect({app})"], "import x")
    assert nested.startswith("import x\n\n\ndef create_app():\n    app = Flask(__name__)\n    CSRFProtect(app)\n")


@pytest.mark.parametrize(("line", "name", "expected"), [
    ('STRIPE_KEY = "sk_live_abc"', "", 'STRIPE_KEY = os.environ["STRIPE_KEY"]'),
    ('admin.config["SECRET_KEY"] = "dvga"', "", 'admin.config["SECRET_KEY"] = os.environ["SECRET_KEY"]'),
    ('KEY = os.getenv("JWT_KEY", "3f9a1c7e")', "", 'KEY = os.environ["JWT_KEY"]'),
    ('headers = {"Authorization": "Bearer sk_9f8e"}', "", 'headers = {"Authorization": "Bearer " + os.environ["AUTHORIZATION"]}'),
    ('    "PASSWORD": "Vt8#kq2",', "", '{"PASSWORD": os.environ["PASSWORD"]}'),
    ('    aws_secret_access_key="wJalrX",', "", 'aws_secret_access_key=os.environ["AWS_SECRET_ACCESS_KEY"],'),
    ('"LOCATION": "redis://:Qz7mK@cache:6379/0"}}', "", "f\"redis://:{os.environ['REDIS_PASSWORD']}@cache:6379/0\""),
    ('if password == "Adm1n!2024":', "password", 'if hmac.compare_digest(password, os.environ["PASSWORD"]):\n    ...'),
])
def test_secrets_are_read_from_the_environment(line: str, name: str, expected: str) -> None:
    from servicelens.fixcode.secrets_env import from_environment

    fixed = from_environment(line, name)
    assert fixed is not None and expected in fixed


def test_breaker_wraps_the_call_in_its_statement() -> None:
    from servicelens.fixcode.breaker import with_breaker

    fixed = with_breaker('price = requests.get(f"{PRICING_URL}/p/{sku}", timeout=10).json()', "requests.get")
    assert fixed is not None and ast.parse(fixed)
    assert 'pricing_breaker = pybreaker.CircuitBreaker(' in fixed
    assert 'try:\n    price = pricing_breaker.call(requests.get, f"{PRICING_URL}/p/{sku}", timeout=10).json()\n' \
           "except (pybreaker.CircuitBreakerError, requests.RequestException):" in fixed
    assert "psp_breaker" in (with_breaker('r = httpx.post("https://psp.example.com/v1", json=b)', "httpx.post") or "")
    assert with_breaker("with requests.get(url, stream=True) as r:", "requests.get") is None


def test_with_keywords_spans_the_statement() -> None:
    from servicelens.fixcode.source import with_keywords

    fixed = with_keywords('return requests.post(\n    f"{URL}/charges",\n    json=body,\n)', "requests.post",
                          {"timeout": "(3.05, 10)"})
    assert fixed is not None and ast.parse(fixed) and "json=body, timeout=(3.05, 10))" in fixed


@pytest.mark.parametrize(("line", "exc", "expected"), [
    ('return jsonify({"error": str(exc)}), 500', "exc", 'return jsonify({"error": "internal error"}), 500'),
    ('return jsonify({"error": "import failed", "trace": traceback.format_exc()}), 500', "",
     'return jsonify({"error": "import failed"}), 500'),
    ('raise HTTPException(status_code=502, detail=f"provider failed: {exc}")', "exc",
     'raise HTTPException(status_code=502, detail="provider failed")'),
    ("return {'detail': repr(e)}, 500", "e", "return {'detail': \"internal error\"}, 500"),
])
def test_error_responses_lose_the_exception(line: str, exc: str, expected: str) -> None:
    from servicelens.fixcode.errors import generic_error

    fixed = generic_error(line, exc, "log")
    assert fixed is not None and fixed.startswith("log.exception(") and fixed.endswith(expected)


def test_error_response_without_the_exception_is_left_alone() -> None:
    from servicelens.fixcode.errors import generic_error

    assert generic_error('return jsonify({"error": "bad input"}), 400', "exc") is None
    assert generic_error('x["trace"] = traceback.format_exc()', "") is None  # not a response: deleted, not rewritten


def test_endpoints_are_read_from_the_environment() -> None:
    from servicelens.fixcode.endpoints import constant_from_env, literal_from_env, setting_name

    assert setting_name("redis://cache:6379/0", "redis.from_url") == "REDIS_URL"
    assert setting_name("http://warehouse.internal/notify", "requests.post") == "WAREHOUSE_URL"
    assert setting_name("localhost", "psycopg2.connect") == "DATABASE_HOST"
    assert constant_from_env("INVENTORY_URL", "http://10.0.4.12/api").endswith(
        'INVENTORY_URL = os.environ["INVENTORY_URL"]  # e.g. http://10.0.4.12/api')
    fixed = literal_from_env('requests.post("http://warehouse.internal/notify", json=b)', "http://warehouse.internal/notify",
                             "requests.post")
    assert fixed is not None and fixed.endswith("""requests.post(f"{os.environ['WAREHOUSE_URL']}/notify", json=b)""")
    assert literal_from_env('redis.Redis(host="10.0.3.17")', "10.0.3.17", "redis.Redis").endswith(
        'redis.Redis(host=os.environ["REDIS_HOST"])')


def test_manifest_helpers() -> None:
    from servicelens.fixcode.manifests import after_line, probe_command, without_capabilities

    assert probe_command("python:3.12-slim", "8000").startswith("CMD python -c \"import urllib.request;")
    assert probe_command("node:20", "3000").startswith("CMD node -e")
    assert probe_command("alpine:3.20", "80") == "CMD wget -qO- http://127.0.0.1:80/healthz || exit 1"
    assert probe_command("nginx:1.27", "80") == "CMD curl -fsS http://127.0.0.1:80/healthz || exit 1"
    assert after_line("EXPOSE 8000", "HEALTHCHECK CMD x", unchanged="") == "EXPOSE 8000\nHEALTHCHECK CMD x"
    assert without_capabilities(["SYS_ADMIN"], ["NET_BIND_SERVICE"], kubernetes=True) == (
        "securityContext:\n  capabilities:\n    drop: [ALL]\n    add: [NET_BIND_SERVICE]  # SYS_ADMIN removed: "
        "root on the host in all but name")
    assert without_capabilities(["SYS_ADMIN"], [], kubernetes=False).startswith("cap_drop: [ALL]  # no cap_add: SYS_ADMIN")
