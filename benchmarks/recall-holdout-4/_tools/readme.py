import collections, pathlib, sys
import yaml
sys.path.insert(0, str(pathlib.Path(__file__).parent))
from gen import resolve  # noqa  (gen re-writes planted.yaml identically on import)

ROOT = pathlib.Path(__file__).resolve().parent.parent
ALTS = {
 "warehouse-api": [
  ("inventory/services.py", "clauses.append(f\"w.code", [("inventory/services.py", "cursor.execute(sql, params)"), ("inventory/views.py", "rows = stock_report(request.user.profile.account, request.GET.dict())")]),
  ("inventory/services.py", "product.reserved = product.reserved + quantity", [("inventory/services.py", "if product.quantity - product.reserved < quantity"), ("inventory/services.py", "product = Product.objects.get(pk=product_id, account=account)")]),
  ("inventory/services.py", "moved = Product.objects.filter(pk=source.pk", [("inventory/services.py", "def create_transfer"), ("inventory/services.py", "Product.objects.filter(pk=destination.pk)"), ("inventory/services.py", "transfer = Transfer.objects.create(")]),
  ("inventory/api_views.py", "def adjust_price(request, pk):", [("inventory/api_views.py", "product.unit_price = new_price"), ("inventory/urls.py", "api_views.adjust_price")]),
  ("inventory/services.py", "            setattr(product, field, value)", [("inventory/services.py", "for field, value in changes.items():"), ("inventory/views.py", "product = apply_product_changes(product, changes)")]),
  ("inventory/services.py", "resp = requests.get(url, timeout=15)", [("inventory/services.py", "text = fetch_manifest(url)"), ("inventory/views.py", "count = import_manifest(")]),
  ("inventory/api_views.py", "path = slip_path(filename)", [("inventory/api_views.py", "return os.path.join(settings.PACKING_SLIP_ROOT, filename)"), ("inventory/api_views.py", "filename = request.GET.get(\"file\", \"\")"), ("inventory/api_views.py", "return FileResponse(open(path, \"rb\"), content_type=\"application/pdf\")")]),
  ("warehouse/settings/production.py", "CARRIER_API_SECRET = os.environ.get", [("warehouse/settings/production.py", "CARRIER_API_KEY = os.environ.get(\"CARRIER_API_KEY\", \"pr_live")]),
  ("inventory/middleware.py", "info[\"body\"] = request.body", [("inventory/middleware.py", "logger.info(\"request %s status")]),
  ("inventory/services.py", "total += float(line.unit_price) * line.quantity", [("inventory/services.py", "total = 0.0"), ("inventory/services.py", "total = total * (1 - float(order.discount_pct) / 100)"), ("inventory/services.py", "order.total = order_total(order)")]),
  ("inventory/views.py", "payload = [order_to_dict(order) for order", [("inventory/views.py", "orders = Order.objects.filter(account=request.user.profile.account)"), ("inventory/serializers.py", "for line in order.lines.all()"), ("inventory/serializers.py", "\"sku\": line.product.sku,")]),
  ("inventory/carrier.py", "resp = self.session.post(url", [("inventory/carrier.py", "def _post(self, path, payload):")]),
  ("inventory/carrier.py", "        for attempt in range(self.max_attempts):", [("inventory/carrier.py", "time.sleep(1)"), ("inventory/carrier.py", "except requests.RequestException as exc:"), ("inventory/carrier.py", "return self._post(\"/shipments\", payload)")]),
  ("inventory/tasks.py", "        except Exception:", [("inventory/tasks.py", "            pass")]),
  ("inventory/api_views.py", "def carrier_webhook(request):", [("inventory/api_views.py", "event = json.loads(request.body)"), ("inventory/urls.py", "api_views.carrier_webhook")]),
  ("inventory/api_views.py", "    products = low_stock_products(", [("inventory/services.py", "Product.objects.filter(account=account, is_active=True, quantity__lte"), ("inventory/api_views.py", "return JsonResponse({\"results\": [product_to_dict(p) for p in products]})")]),
 ],
 "subscriptions-svc": [
  ("app/security.py", "options={\"verify_exp\": False}", [("app/deps.py", "payload = decode_access_token(credentials.credentials)")]),
  ("app/routers/webhooks.py", "if expected != signature:", []),
  ("app/services/tax.py", "resp = requests.get(", [("app/routers/account.py", "valid = await vat.validate(body.country, body.vat_number)"), ("app/services/tax.py", "async def validate(")]),
  ("app/services/billing.py", "charge = await self.payments.charge(", [("app/routers/subscriptions.py", "subscription, invoice = await billing.subscribe("), ("app/routers/subscriptions.py", "async def create_subscription(")]),
  ("app/deps.py", "return Redis.from_url(", [("app/deps.py", "async def get_cache(")]),
  ("app/routers/admin.py", "rows = await subscriptions.by_status(status_filter)", [("app/repositories.py", "stmt = select(Subscription).where(Subscription.status == status)")]),
  ("app/routers/checkout.py", "return RedirectResponse(target, status_code=303)", [("app/routers/checkout.py", "target = next or _billing_page(settings)")]),
  ("app/security.py", "random.choices(_RESET_ALPHABET", [("app/routers/auth.py", "token = generate_reset_token()")]),
  ("app/routers/invoices.py", "invoice = await invoices.get(invoice_id)", [("app/routers/invoices.py", "async def get_invoice(")]),
  ("app/routers/account.py", "return [row_to_dict(member) for member in members]", [("app/utils.py", "for column in obj.__table__.columns:")]),
  ("app/services/billing.py", "user.credit_balance = user.credit_balance - invoice.amount", [("app/services/billing.py", "if user.credit_balance < invoice.amount:")]),
  ("app/main.py", "\"error\": repr(exc),", [("app/main.py", "\"trace\": traceback.format_exception(")]),
  ("app/main.py", "allow_origins=settings.cors_origins,", [("app/config.py", "cors_origins: list[str] = [\"*\"]"), ("app/main.py", "allow_credentials=True,")]),
  ("app/routers/auth.py", "no account is registered with this email", []),
  ("app/services/billing.py", "            result = await self.session.execute(", [("app/services/billing.py", "for user_id in user_ids:")]),
  ("app/routers/plans.py", "async def update_plan(", [("app/routers/plans.py", "@router.put(\"/{code}\""), ("app/routers/plans.py", "router = APIRouter(prefix=\"/plans\"")]),
  ("app/clients/payments.py", "raise PaymentError(f\"invoice pdf unavailable", [("app/clients/payments.py", "resp = await self._http.send(request, stream=True)")]),
 ],
}

out = ["# holdout4: two blind-written services with planted defects and look-alikes", "",
       "Written without reading servicelens source, tests, docs or other benchmarks; only `/work/shared/taxonomy.md` and `/work/shared/TRIAGE.md`.",
       "Each service has a `planted.yaml` (1-based lines). `_tools/` holds the anchor-based generator and `_tools/verify.py` (checks every line exists, is non-blank, and every concern id is in taxonomy.md).", ""]
totals = collections.Counter()
for svc in ("warehouse-api", "subscriptions-svc"):
    d = yaml.safe_load((ROOT / svc / "planted.yaml").read_text())
    files = [p for p in (ROOT / svc).rglob("*.py")]
    loc = sum(len(p.read_text().splitlines()) for p in files)
    out += [f"## {svc}", "", "| framework / style | python files | lines | defects | look-alikes |", "|---|---|---|---|---|",
            f"| {d['framework']} | {len(files)} | {loc} | {len(d['defects'])} | {len(d['lookalikes'])} |", "",
            "| file:line | defect concern | why |", "|---|---|---|"]
    for e in d["defects"]:
        out.append(f"| {e['file']}:{e['line']} | {e['concern']} | {e['why']} |")
        totals[e["concern"]] += 1
    la = collections.Counter(e["concern"] for e in d["lookalikes"])
    out += ["", "Look-alikes by concern: " + ", ".join(f"{c} {n}" for c, n in sorted(la.items())), ""]
    out += ["### line-choice notes", "", "Where a reviewer could reasonably comment on another line (same concern):", ""]
    for f, a, alts in ALTS[svc]:
        n = resolve(svc, f, a)
        concern = next(e["concern"] for e in d["defects"] if e["file"] == f and e["line"] == n)
        alt = ", ".join(f"{af}:{resolve(svc, af, aa)}" for af, aa in alts) or "none"
        out.append(f"- {f}:{n} ({concern}): {alt}")
    out.append("")
out += ["## defects per concern (both services)", "", "| concern | warehouse-api | subscriptions-svc | total |", "|---|---|---|---|"]
per = {svc: collections.Counter(e["concern"] for e in yaml.safe_load((ROOT / svc / "planted.yaml").read_text())["defects"]) for svc in ("warehouse-api", "subscriptions-svc")}
for c in sorted(totals):
    out.append(f"| {c} | {per['warehouse-api'][c]} | {per['subscriptions-svc'][c]} | {totals[c]} |")
out.append("")
out.append(open(ROOT / "_tools" / "notes.md").read())
(ROOT / "README.md").write_text("\n".join(out))
print("written")
