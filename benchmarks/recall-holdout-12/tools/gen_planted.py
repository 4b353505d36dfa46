"""Build planted.yaml for lunchline from (file, anchor, pattern) triples; fail if any is ambiguous or missing."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "lunchline"

FRAMEWORK = ("Connexion 2.14 on Flask 2.2: routes, parameters, request schemas and security live in an OpenAPI 3.0 document "
             "(openapi/lunchline.yaml) with handlers resolved by operationId (lunchline.api.<module>.<function>), global "
             "`security: [bearerAuth]` overridden per operation (`security: []` for public operations, `kioskKey` for canteen "
             "terminals), team-written x-bearerInfoFunc (PyJWT) and x-apikeyInfoFunc that stash a Principal on flask.g, the "
             "team's own require_role(*roles) and require_school_staff decorators on handlers, strict_validation with "
             "additionalProperties:false schemas (one without), SQLAlchemy 2.0 ORM with a scoped_session, repository classes and "
             "a service layer (transaction() unit of work, with_for_update, atomic update().values(col + x), selectinload, text() "
             "with bound parameters), requests sessions from a factory with a TimeoutHTTPAdapter and urllib3 Retry, a PayRail "
             "payment client built by an lru_cached factory, a notify client, redis-py (login throttle, menu cache), RQ jobs "
             "with Retry and a cron entry, argon2, Decimal money; prepaid school meal accounts, pre-orders and canteen kiosk sales")

# (file, anchor or None, pattern, concern, why)
DEFECTS = [
    ("lunchline/settings.py", None, 'PAYRAIL_API_KEY = _env("PAYRAIL_API_KEY", "prk_live_', "hardcoded-secret",
     "a live-looking PayRail secret key is the default of PAYRAIL_API_KEY; any deployment without the variable charges cards with a key that is in the repository (JWT and webhook secrets are required=True)"),
    ("lunchline/models.py", None, "provider_ref: Mapped[str | None] = mapped_column(String(64))", "missing-index",
     "every PayRail webhook looks the payment up by provider_ref with FOR UPDATE (PaymentRepository.by_provider_ref) and the column has no index: a sequential scan of all payments under a row lock per event"),
    ("lunchline/auth/tokens.py", None, 'claims = jwt.decode(token, options={"verify_signature": False', "jwt-misuse",
     "POST /auth/reset-password decodes the reset token without verifying its signature; anyone can mint {sub: <any user id>, purpose: password-reset} and set any account's password (admins included)"),
    ("lunchline/auth/decorators.py", None, "if terminal is None or terminal.secret != secret:", "timing-unsafe-comparison",
     "the kiosk terminal secret from X-Kiosk-Key is compared with != (the prefix selects the row, so the secret can be recovered byte by byte); webhooks use hmac.compare_digest"),
    ("lunchline/clients/__init__.py", None, "return redis.Redis(host=settings.REDIS_HOST", "connection-per-request",
     "menu_cache() builds a new Redis client (and connection pool) on every call; GET /schools/{id}/menu calls it per request and the import calls it twice, while get_redis() is cached"),
    ("lunchline/clients/notify.py", None, "resp = requests.post(", "missing-timeout",
     "notify calls use module-level requests.post with no timeout (requests has none by default): a hung notify service blocks POST /auth/forgot-password and the reminder job forever; the PayRail and supplier sessions come from build_session with a TimeoutHTTPAdapter"),
    ("lunchline/clients/payrail.py", None, "allowed_methods=None,", "unsafe-retry",
     "the PayRail session retries every method, POST /charges included, on 5xx; top_up sends charges without an idempotency key, so a 502 after the provider accepted the charge charges the guardian's card again (read_retry limits retries to GET/HEAD)"),
    ("lunchline/repositories/users.py", None, "setattr(user, field, value)", "mass-assignment",
     "PATCH /me passes the body to update_profile, which sets every attribute the model has; the ProfileUpdate schema lacks additionalProperties:false, so a guardian sends role=admin, school_id, is_active or password_hash"),
    ("lunchline/repositories/reports.py", None, "where.append(f\"m.category = '{category}'\")", "sql-injection",
     "the category query parameter of GET /schools/{id}/reports/sales is formatted into the WHERE clause next to bound parameters; a quote breaks out (e.g. reads other schools' sales or the users table)"),
    ("lunchline/repositories/ledger.py", "def for_school", "stmt = (", "unbounded-query",
     "GET /schools/{id}/transactions returns every ledger entry between two client-chosen dates with no limit or cursor (a multi-year range is every row of the school), serialised in one response"),
    ("lunchline/api/orders.py", None, "return page([order_out(o) for o in orders], limit, offset), 200", "n-plus-one-query",
     "GET /orders loads a page of orders without eager loading (OrderRepository.list_for_guardian), then order_out lazily loads order.lines per order and line.menu_item per line: 1 + orders + lines queries (get_for_guardian uses selectinload)"),
    ("lunchline/services/accounts.py", None, 'code = "".join(random.choices(', "weak-random",
     "link codes, which attach a second guardian (with access to the child's balance, allergies and orders) to a student, come from random (Mersenne Twister), predictable from observed codes"),
    ("lunchline/services/accounts.py", None, 'log.info("password reset issued for user %s: %s", user.id, token)', "sensitive-data-logged",
     "the full password-reset token is written to the application log; anyone with log access can reset that account within 30 minutes"),
    ("lunchline/services/wallet.py", None, "charge = self.payrail.charge(", "missing-idempotency",
     "POST /students/{id}/topups charges the card with no idempotency key (the client supports one, auto_top_up uses one) and the request carries none; a client retry or double submit charges twice"),
    ("lunchline/services/wallet.py", None, "student.balance = student.balance - total", "race-condition",
     "POST /kiosk/sales reads the balance, checks it in Python and writes balance - total with no row lock or conditional UPDATE; two terminals (or a retry) both pass and overspend, and a concurrent top-up credit is overwritten"),
    ("lunchline/services/wallet.py", None, 'item = self.menus.get_item(line["menu_item_id"])', "query-in-loop",
     "offline kiosk sync (up to 200 sales of up to 10 items) looks up each menu item with one query per line, and each card with one query per sale; items_by_ids loads them in one IN query"),
    ("lunchline/services/wallet.py", 'order.status = "refunded"', "self.session.commit()", "missing-transaction",
     "refund_order commits the status change, then the balance credit, then the ledger entry as three transactions; a failure in between (or a crash) leaves a refunded order with no money returned or a credit with no ledger row, and the FOR UPDATE lock is released at the first commit"),
    ("lunchline/services/ordering.py", None, "discounted = round(float(item.price) * (1 - float(settings.SIBLING_DISCOUNT)), 2)", "float-for-money",
     "sibling-discounted unit prices are computed in binary floating point and rounded as floats (2.45 * 0.9 = 2.205 rounds to 2.2, not 2.21); the result is stored as OrderLine.unit_price and charged"),
    ("lunchline/services/menus.py", None, "with self.http.get(image_url, stream=True) as resp:", "ssrf",
     "PUT /schools/{id}/logo fetches image_url from the request body server-side with only a scheme check; staff can make the service call internal hosts or cloud metadata (the supplier feed import goes through ensure_supplier_url)"),
    ("lunchline/jobs/tasks.py", None, "except Exception:", "swallowed-exception",
     "send_low_balance_reminders swallows every error per guardian with pass: a notify outage or bad address is invisible, no log, no metric, and sent stays wrong"),
    ("lunchline/api/students.py", None, "student = StudentRepository(session).get(student_id)", "broken-object-authorization",
     "GET /students/{id}/ledger loads the student by URL id with the unscoped get; any guardian reads any child's transactions (GET /students/{id} uses get_for_guardian)"),
    ("lunchline/api/admin.py", None, "def set_role(user_id, body):", "broken-function-authorization",
     "PUT /admin/users/{id}/role has no @require_role('admin') (its siblings in admin.py have it) and the spec only asks for bearerAuth: any guardian makes themselves admin or staff of any school"),
    ("openapi/lunchline.yaml", "/schools/{school_id}/kitchen-board:", "security: []", "missing-authentication",
     "GET /schools/{id}/kitchen-board overrides the global bearerAuth with security: [] and the handler has no decorator: anyone on the internet lists every child's name, year group, allergies and meals for any school and day"),
]

LOOKALIKES = [
    ("lunchline/settings.py", None, 'JWT_SECRET = _env("LUNCHLINE_JWT_SECRET", required=True)', "hardcoded-secret",
     "JWT secret read from the environment, no default, start-up fails without it"),
    ("lunchline/app.py", None, "CORS(app, origins=settings.CORS_ORIGINS", "permissive-cors",
     "explicit origin list from settings, no credentials"),
    ("lunchline/app.py", None, 'return {"error": "internal_error", "message": "Something went wrong', "error-details-exposed",
     "catch-all logs the traceback server-side and returns a generic message"),
    ("lunchline/models.py", None, 'Index("ix_orders_guardian_date", "guardian_id", "service_date")', "missing-index",
     "composite index for the guardian order list and idempotency lookups"),
    ("lunchline/auth/tokens.py", None, "algorithms=[ALGORITHM],", "jwt-misuse",
     "access tokens: algorithm pinned, issuer checked, exp/sub/typ required, typ must be access"),
    ("lunchline/auth/tokens.py", None, 'log.info("rejected bearer token: %s", type(exc).__name__)', "sensitive-data-logged",
     "logs only the exception type, not the token"),
    ("lunchline/auth/passwords.py", None, "_hasher = PasswordHasher(", "weak-password-hash",
     "argon2id with explicit cost parameters"),
    ("lunchline/services/accounts.py", None, "if self.throttle.blocked(email, ip):", "auth-brute-force",
     "failed logins counted per e-mail and per address in Redis with a 15-minute window"),
    ("lunchline/services/accounts.py", None, "if not verify_password(user.password_hash if user else None, password) or not user.is_active:", "account-enumeration",
     "same error for unknown e-mail and wrong password; verify_password hashes against a dummy hash when the user is unknown"),
    ("lunchline/api/auth.py", None, 'return {"status": "If the address is registered, a reset link is on its way."}, 202', "account-enumeration",
     "forgot-password answers 202 with the same text whether or not the account exists"),
    ("lunchline/auth/decorators.py", None, 'if principal.role != "staff" or principal.school_id != kwargs.get("school_id"):', "broken-object-authorization",
     "school-scoped staff routes compare the URL school_id with the school in the caller's token"),
    ("lunchline/api/students.py", "def get_student", "student = StudentRepository(session).get_for_guardian(student_id, current_principal().user_id)", "broken-object-authorization",
     "student detail joined through guardianships for the caller"),
    ("lunchline/api/admin.py", 'def update_school', None, "broken-function-authorization",
     "school settings change requires require_role('admin') (the decorator is on the line above)"),
    ("lunchline/api/students.py", None, "for field in EDITABLE_FIELDS:", "mass-assignment",
     "student update copies only an allow-list of fields, and the schema forbids additional properties"),
    ("lunchline/repositories/reports.py", None, 'ordering = SALES_ORDERING.get(order_by, "service_date")', "sql-injection",
     "ORDER BY taken from a fixed dict (and the spec enum); unknown values fall back to service_date"),
    ("lunchline/repositories/students.py", None, 'pattern = f"%{query}%"', "sql-injection",
     "search pattern passed to ilike as a bound parameter"),
    ("lunchline/api/webhooks.py", None, "if not hmac.compare_digest(expected, signature):", "timing-unsafe-comparison",
     "webhook HMAC compared in constant time, with a timestamp tolerance"),
    ("openapi/lunchline.yaml", "/webhooks/payrail:", "security: []", "missing-authentication",
     "the provider webhook has no bearer auth by design; the handler verifies the PayRail HMAC signature first"),
    ("lunchline/services/wallet.py", None, 'kind="kiosk", reference=f"kiosk:{terminal_id}:{uuid.uuid4().hex}")', "weak-random",
     "uuid4 (os.urandom) only makes a ledger reference unique; it is not a secret"),
    ("lunchline/api/schools.py", None, "etag = hashlib.md5(", "weak-hash",
     "MD5 (usedforsecurity=False) for an ETag of public menu data"),
    ("lunchline/services/menus.py", None, "resp = self.http.get(ensure_supplier_url(feed_url))", "ssrf",
     "supplier feed URL must be https on an allow-listed host, checked in the route and again in the job"),
    ("lunchline/clients/payrail.py", None, 'resp = self.session.post(f"{self.base_url}/charges", json=payload, headers=headers)', "missing-timeout",
     "the session comes from build_session, whose TimeoutHTTPAdapter applies a default (connect, read) timeout"),
    ("lunchline/clients/__init__.py", None, "return redis.Redis.from_url(", "connection-per-request",
     "the shared Redis client is built once (lru_cache) with socket timeouts"),
    ("lunchline/clients/http.py", None, 'allowed_methods=frozenset({"GET", "HEAD"}),', "unsafe-retry",
     "retries only GET/HEAD, bounded, with backoff"),
    ("lunchline/repositories/students.py", None, ".values(balance=Student.balance + amount)", "race-condition",
     "balance credited with an atomic UPDATE ... SET balance = balance + :amount"),
    ("lunchline/services/ordering.py", None, 'student = self.students.get_for_guardian(payload["student_id"], guardian_id, lock=True)', "race-condition",
     "pre-order locks the student row (SELECT ... FOR UPDATE) before checking and debiting the balance"),
    ("lunchline/services/ordering.py", None, "existing = self.orders.by_idempotency_key(guardian_id, idempotency_key)", "missing-idempotency",
     "POST /orders requires an Idempotency-Key, replays return the stored order, and (guardian_id, idempotency_key) is unique"),
    ("lunchline/services/ordering.py", "def place_order", "with transaction(self.session):", "missing-transaction",
     "order, lines, balance debit and ledger entry written in one transaction"),
    ("lunchline/services/ordering.py", None, 'items = self.menus.items_by_ids(student.school_id, [r["menu_item_id"] for r in requested])', "query-in-loop",
     "menu items loaded in one IN query before the loop"),
    ("lunchline/services/ordering.py", None, "return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)", "float-for-money",
     "Decimal quantised to pence with explicit rounding"),
    ("lunchline/services/wallet.py", None, 'key = f"autotopup:{student.id}:{date.today().isoformat()}"', "missing-idempotency",
     "auto top-up uses a per-student per-day key, stored on the unique Payment.idempotency_key and sent to PayRail"),
    ("lunchline/repositories/orders.py", None, ".options(selectinload(Order.lines).selectinload(OrderLine.menu_item))", "n-plus-one-query",
     "single order loaded with its lines and menu items eagerly"),
    ("lunchline/api/orders.py", None, "limit, offset = clamp(limit, offset)", "unbounded-query",
     "order list paginated; clamp caps the page at MAX_PAGE_SIZE"),
    ("lunchline/clients/notify.py", None, "except (requests.ConnectionError, NotifyError):", "swallowed-exception",
     "narrow except, logged with the traceback, and re-raised"),
]


def locate(rel, anchor, pattern):
    lines = (ROOT / rel).read_text().splitlines()
    start = 0
    if anchor:
        hits = [i for i, l in enumerate(lines) if anchor in l]
        if len(hits) != 1:
            sys.exit(f"anchor {anchor!r} in {rel}: {len(hits)} hits")
        start = hits[0]
        if pattern is None:
            return start  # the line above the anchor (decorator), 1-based == index
    for i in range(start, len(lines)):
        if pattern in lines[i]:
            if anchor is None and sum(pattern in l for l in lines) != 1 and rel != "lunchline/services/wallet.py":
                sys.exit(f"pattern {pattern!r} in {rel} is ambiguous")
            return i + 1
    sys.exit(f"pattern {pattern!r} not found in {rel}")


def q(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


out = ["service: lunchline", f"framework: {q(FRAMEWORK)}", "defects:"]
for rel, anchor, pat, concern, why in DEFECTS:
    out.append(f"  - {{file: {rel}, line: {locate(rel, anchor, pat)}, concern: {concern}, why: {q(why)}}}")
out.append("lookalikes:")
for rel, anchor, pat, concern, why in LOOKALIKES:
    out.append(f"  - {{file: {rel}, line: {locate(rel, anchor, pat)}, concern: {concern}, why: {q(why)}}}")
(ROOT / "planted.yaml").write_text("\n".join(out) + "\n")
print(len(DEFECTS), "defects", len(LOOKALIKES), "lookalikes")
