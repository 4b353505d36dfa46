from django.forms.models import model_to_dict
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator

from accounts.decorators import RoleRequiredMixin, SellerScopedMixin, require_role
from core.http import BadRequest, parse_json
from core.views import JsonView

from . import services
from .models import BankAccount, Seller


def bank_account_json(account: BankAccount) -> dict:
    return {
        "id": account.id,
        "holder_name": account.holder_name,
        "iban": account.masked(),
        "currency": account.currency,
        "is_default": account.is_default,
        "verified": account.verified_at is not None,
    }


class StorefrontView(JsonView):
    """Public seller card shown on product pages."""

    def get(self, request, slug: str):
        seller = get_object_or_404(Seller.objects.active(), slug=slug)
        data = model_to_dict(seller, exclude=["logo"])
        data["has_logo"] = bool(seller.logo)
        return JsonResponse(data)


def storefront_logo(request, slug: str):
    seller = get_object_or_404(Seller.objects.active().only("logo", "logo_content_type"), slug=slug)
    if not seller.logo:
        return HttpResponse(status=404)
    response = HttpResponse(bytes(seller.logo), content_type=seller.logo_content_type)
    response["Cache-Control"] = "public, max-age=3600"
    return response


class MyProfileView(SellerScopedMixin, JsonView):
    def get(self, request):
        s = self.seller
        return JsonResponse({
            "id": s.id,
            "slug": s.slug,
            "display_name": s.display_name,
            "legal_name": s.legal_name,
            "contact_email": s.contact_email,
            "contact_phone": s.contact_phone,
            "status": s.status,
            "payout_schedule": s.payout_schedule,
        })

    def patch(self, request):
        seller = services.update_profile(self.seller, parse_json(request))
        return JsonResponse({"id": seller.id, "display_name": seller.display_name,
                             "payout_schedule": seller.payout_schedule})


class MyLogoView(SellerScopedMixin, JsonView):
    def post(self, request):
        body = parse_json(request)
        url = body.get("logo_url")
        if not isinstance(url, str):
            raise BadRequest("logo_url is required")
        services.import_logo(self.seller, url)
        return JsonResponse({"ok": True})


class BankAccountListView(SellerScopedMixin, JsonView):
    def get(self, request):
        accounts = self.seller.bank_accounts.order_by("-is_default", "currency", "id")[:20]
        return JsonResponse({"bank_accounts": [bank_account_json(a) for a in accounts]})

    def post(self, request):
        body = parse_json(request)
        if self.seller.bank_accounts.count() >= 20:
            raise BadRequest("too many bank accounts", status=409)
        account = services.add_bank_account(self.seller, body, bool(body.get("make_default")))
        return JsonResponse(bank_account_json(account), status=201)


class BankAccountDetailView(SellerScopedMixin, JsonView):
    def get_object(self, account_id: int) -> BankAccount:
        return get_object_or_404(BankAccount, pk=account_id, seller=self.seller)

    def get(self, request, account_id: int):
        return JsonResponse(bank_account_json(self.get_object(account_id)))

    def delete(self, request, account_id: int):
        account = self.get_object(account_id)
        if account.is_default:
            raise BadRequest("cannot remove the default account", status=409)
        if account.payouts.exclude(status__in=["paid", "failed", "cancelled"]).exists():
            raise BadRequest("account has payouts in flight", status=409)
        account.delete()
        return HttpResponse(status=204)


class OpsSellerView(RoleRequiredMixin, JsonView):
    required_roles = ("ops",)

    def get(self, request, seller_id: int):
        seller = get_object_or_404(Seller, pk=seller_id)
        data = model_to_dict(seller, exclude=["logo"])
        data["bank_accounts"] = [bank_account_json(a) for a in seller.bank_accounts.all()[:20]]
        return JsonResponse(data)


@method_decorator(require_role("ops"), name="dispatch")
class OpsFreezeSellerView(JsonView):
    def post(self, request, seller_id: int):
        body = parse_json(request)
        reason = str(body.get("reason", "")).strip()
        if not reason:
            raise BadRequest("reason is required")
        seller = services.freeze(get_object_or_404(Seller, pk=seller_id), request.user, reason)
        return JsonResponse({"id": seller.id, "status": seller.status})


@method_decorator(require_role("ops"), name="dispatch")
class OpsVerifyBankAccountView(JsonView):
    def post(self, request, account_id: int):
        account = get_object_or_404(BankAccount, pk=account_id)
        services.mark_verified(account)
        return JsonResponse(bank_account_json(account))
