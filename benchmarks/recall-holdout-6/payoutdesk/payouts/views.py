import datetime as dt
import hashlib
import json

from django.db.models import Count, Sum
from django.http import HttpResponseNotModified, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt

from accounts.decorators import LoginRequiredJsonMixin, RoleRequiredMixin, SellerScopedMixin, require_role
from core.http import BadRequest, paginate, parse_amount, parse_json
from core.views import JsonView
from sellers.models import Seller

from . import services
from .models import Balance, LedgerEntry, Payout


class BalanceView(SellerScopedMixin, JsonView):
    def get(self, request):
        balance = get_object_or_404(Balance, seller=self.seller)
        return JsonResponse({
            "currency": balance.currency,
            "available": f"{balance.available:.2f}",
            "pending": f"{balance.pending:.2f}",
            "held": f"{balance.held:.2f}",
        })


class PayoutCollectionView(SellerScopedMixin, JsonView):
    def get(self, request):
        qs = Payout.objects.for_seller(self.seller).select_related("bank_account").order_by("-created_at")
        if status := request.GET.get("status"):
            qs = qs.filter(status=status)

        def serialize(p: Payout) -> dict:
            return {**p.summary(), "bank_account": p.bank_account.masked()}

        return JsonResponse(paginate(request, qs, serialize))

    def post(self, request):
        body = parse_json(request)
        try:
            bank_account_id = int(body["bank_account_id"])
        except (KeyError, TypeError, ValueError):
            raise BadRequest("bank_account_id is required")
        key = request.headers.get("Idempotency-Key")
        if key is not None and not 8 <= len(key) <= 64:
            raise BadRequest("Idempotency-Key must be 8-64 characters")
        payout, created = services.request_payout(
            self.seller,
            amount=parse_amount(body.get("amount")),
            bank_account_id=bank_account_id,
            instant=bool(body.get("instant", False)),
            idempotency_key=key,
            actor=request.user,
        )
        return JsonResponse(payout.summary(), status=201 if created else 200)


class PayoutDetailView(LoginRequiredJsonMixin, JsonView):
    """Used by the seller dashboard and by ops when a seller calls in."""

    def get(self, request, payout_id: int):
        payout = get_object_or_404(Payout.objects.select_related("bank_account"), pk=payout_id)
        data = payout.summary()
        data["bank_account"] = payout.bank_account.masked()
        data["failure_reason"] = payout.failure_reason
        data["entries"] = [e.as_json() for e in payout.entries.order_by("id")]
        return JsonResponse(data)


class PayoutConfirmView(SellerScopedMixin, JsonView):
    def post(self, request, payout_id: int):
        payout = get_object_or_404(Payout, pk=payout_id, seller=self.seller)
        code = str(parse_json(request).get("code", "")).strip()
        if not code.isdigit() or len(code) != 6:
            raise BadRequest("code must be 6 digits")
        payout = services.confirm_payout(payout, code)
        return JsonResponse(payout.summary())


class LedgerView(SellerScopedMixin, JsonView):
    def get(self, request):
        entries = LedgerEntry.objects.for_seller(self.seller).order_by("-created_at")
        if kind := request.GET.get("kind"):
            entries = entries.filter(kind=kind)
        return JsonResponse({"entries": [e.as_json() for e in entries]})


class StatementView(SellerScopedMixin, JsonView):
    def get(self, request, year: int, month: int):
        if not 1 <= month <= 12:
            raise BadRequest("month must be 1-12")
        start = dt.datetime(year, month, 1, tzinfo=dt.timezone.utc)
        end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=dt.timezone.utc)
        totals = (
            LedgerEntry.objects.for_seller(self.seller).between(start, end)
            .values("kind", "currency").annotate(total=Sum("amount"), count=Count("id")).order_by("kind")
        )
        body = {
            "period": f"{year:04d}-{month:02d}",
            "totals": [{**t, "total": f"{t['total']:.2f}"} for t in totals],
        }
        etag = '"%s"' % hashlib.sha1(json.dumps(body, sort_keys=True).encode()).hexdigest()
        if request.headers.get("If-None-Match") == etag:
            return HttpResponseNotModified()
        response = JsonResponse(body)
        response["ETag"] = etag
        return response


class OpsReviewQueueView(RoleRequiredMixin, JsonView):
    required_roles = ("ops",)

    def get(self, request):
        rows = []
        for payout in Payout.objects.awaiting_review()[:100]:
            rows.append({
                **payout.summary(),
                "seller": payout.seller.display_name,
                "risk_score": payout.seller.risk_score,
                "bank_account": payout.bank_account.masked(),
                "bank_verified": payout.bank_account.verified_at is not None,
            })
        return JsonResponse({"payouts": rows})


@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(require_role("ops"), name="dispatch")
class OpsApprovePayoutView(JsonView):
    def post(self, request, payout_id: int):
        payout = services.approve_payout(payout_id, request.user)
        return JsonResponse(payout.summary())


class OpsAdjustBalanceView(LoginRequiredJsonMixin, JsonView):
    def post(self, request, seller_id: int):
        seller = get_object_or_404(Seller, pk=seller_id)
        body = parse_json(request)
        memo = str(body.get("memo", "")).strip()
        if not memo:
            raise BadRequest("memo is required")
        sign = -1 if body.get("direction") == "debit" else 1
        balance = services.adjust_balance(seller, sign * parse_amount(body.get("amount")), memo, request.user)
        return JsonResponse({"available": f"{balance.available:.2f}"})
