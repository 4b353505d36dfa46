"""A REST framework view open by its permission classes authenticates its caller when the handler, or
the serializer it validates, verifies a signature over the payload and refuses the request otherwise
(analysis/signature_checks.py, analysis/signature_auth.py). A check that decides nothing, a call that
only sounds like one, or a serializer the handler never validates authenticates nobody."""
from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from servicelens.analysis.file_index import build_index
from servicelens.analysis.signature_checks import signature_checks
from servicelens.api import review
from servicelens.config.settings import Settings
from servicelens.lang.python import lower_module
from servicelens.sources.parsing import ParserPool

_SERIALIZERS = """
    from eth_account import Account
    from eth_account.messages import encode_defunct
    from rest_framework import serializers
    from rest_framework.exceptions import ValidationError

    from .captcha import verify_captcha


    class SignedTransferSerializer(serializers.Serializer):
        owner = serializers.CharField()
        amount = serializers.IntegerField()
        signature = serializers.CharField()

        def validate(self, attrs):
            message = encode_defunct(text=f"{attrs['owner']}:{attrs['amount']}")
            signer = Account.recover_message(message, signature=attrs["signature"])
            if signer.lower() != attrs["owner"].lower():
                raise ValidationError("signature does not match the owner")
            return attrs


    class OwnerCheckMixin:
        def check_signer(self, signer, allowed):
            if signer not in allowed:
                raise ValidationError("not an allowed signer")
            return signer


    class SignedRevokeSerializer(OwnerCheckMixin, serializers.Serializer):
        grant = serializers.CharField()
        signature = serializers.CharField()

        def validate(self, attrs):
            signer = Account.recover_message(encode_defunct(text=attrs["grant"]), signature=attrs["signature"])
            self.check_signer(signer, attrs["grant"].split(","))
            return attrs


    class CaptchaSerializer(serializers.Serializer):
        email = serializers.EmailField()
        code = serializers.CharField()

        def validate(self, attrs):
            if not verify_captcha(attrs["code"], secret_key=CAPTCHA_KEY):
                raise ValidationError("captcha failed")
            return attrs


    class RecordedSignerSerializer(serializers.Serializer):
        note = serializers.CharField()
        signature = serializers.CharField()

        def validate(self, attrs):
            attrs["signer"] = Account.recover_message(encode_defunct(text=attrs["note"]),
                                                      signature=attrs["signature"])
            return attrs
"""

_VIEWS = """
    from nacl.exceptions import BadSignatureError
    from nacl.signing import VerifyKey
    from rest_framework import generics, status
    from rest_framework.permissions import AllowAny, IsAuthenticated
    from rest_framework.response import Response
    from rest_framework.views import APIView

    from .models import Device, Grant
    from .serializers import (CaptchaSerializer, RecordedSignerSerializer, SignedRevokeSerializer,
                              SignedTransferSerializer)


    class ProfileView(APIView):
        permission_classes = [IsAuthenticated]

        def post(self, request):
            request.user.profile.update(request.data)
            return Response(status=204)


    class TransferView(generics.CreateAPIView):
        permission_classes = [AllowAny]
        serializer_class = SignedTransferSerializer


    class RevokeView(APIView):
        permission_classes = [AllowAny]

        def post(self, request):
            serializer = SignedRevokeSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            Grant.objects.filter(name=serializer.validated_data["grant"]).delete()
            return Response(status=204)


    class DeviceReportView(APIView):
        permission_classes = [AllowAny]

        def post(self, request, device_id):
            device = Device.objects.get(pk=device_id)
            verify_key = VerifyKey(bytes.fromhex(device.public_key))
            try:
                verify_key.verify(request.body, bytes.fromhex(request.headers["X-Report-Sig"]))
            except BadSignatureError:
                return Response(status=status.HTTP_403_FORBIDDEN)
            device.reports.create(body=request.body)
            return Response(status=201)


    class SubscribeView(generics.CreateAPIView):
        permission_classes = [AllowAny]
        serializer_class = CaptchaSerializer


    class NoteView(generics.CreateAPIView):
        permission_classes = [AllowAny]
        serializer_class = RecordedSignerSerializer


    class TransferCancelView(generics.DestroyAPIView):
        permission_classes = [AllowAny]
        serializer_class = SignedTransferSerializer
        queryset = Grant.objects.all()
"""

_URLS = """
    from django.urls import path

    from . import views

    urlpatterns = [
        path("profile/", views.ProfileView.as_view()),
        path("transfers/", views.TransferView.as_view()),
        path("transfers/<int:pk>/", views.TransferCancelView.as_view()),
        path("revocations/", views.RevokeView.as_view()),
        path("devices/<int:device_id>/reports/", views.DeviceReportView.as_view()),
        path("subscriptions/", views.SubscribeView.as_view()),
        path("notes/", views.NoteView.as_view()),
    ]
"""


def _open_writes(tmp_path: Path) -> dict[str, tuple[str, str]]:
    package = tmp_path / "wallet"
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "serializers.py").write_text(dedent(_SERIALIZERS), encoding="utf-8")
    (package / "views.py").write_text(dedent(_VIEWS), encoding="utf-8")
    (package / "urls.py").write_text(dedent(_URLS), encoding="utf-8")
    report = review(tmp_path, Settings(use_cache=False))
    return {e.handler.rsplit(".", 2)[-2]: (e.auth, e.auth_evidence) for s in report.overview.services
            for e in s.endpoints}


def test_a_recovered_signer_compared_with_the_owner_authenticates(tmp_path: Path) -> None:
    found = _open_writes(tmp_path)
    assert found["TransferView"][0] == "required"
    assert "SignedTransferSerializer" in found["TransferView"][1]


def test_a_serializer_built_in_the_handler_and_a_check_in_a_mixin_count(tmp_path: Path) -> None:
    assert _open_writes(tmp_path)["RevokeView"][0] == "required"


def test_a_verification_in_the_handler_refusing_in_its_except_counts(tmp_path: Path) -> None:
    auth, evidence = _open_writes(tmp_path)["DeviceReportView"]
    assert auth == "required" and "DeviceReportView.post" in evidence


def test_what_only_sounds_like_a_check_or_decides_nothing_does_not(tmp_path: Path) -> None:
    found = _open_writes(tmp_path)
    assert found["SubscribeView"][0] == "none"  # a captcha is no signature
    assert found["NoteView"][0] == "none"  # the signer is recovered and stored, never compared


def test_a_serializer_the_handler_never_validates_protects_nothing(tmp_path: Path) -> None:
    assert _open_writes(tmp_path)["TransferCancelView"][0] == "none"  # a generic destroy validates no payload


def test_a_handler_handing_on_to_the_generic_create_runs_validation_whatever_else_the_module_defines() -> None:
    """`self.create(request)` runs the generic view's validation unless the view's own class
    overrides `create`; a serializer's `create` in the same module overrides nothing of the view."""
    source = dedent('''
        from rest_framework import generics, serializers
        from rest_framework.response import Response

        class OrderSerializer(serializers.Serializer):
            def create(self, validated_data):
                return Order.objects.create(**validated_data)

        class OrderView(generics.CreateAPIView):
            def post(self, request):
                return self.create(request)

        class OwnCreateView(generics.CreateAPIView):
            def create(self, request):
                return Response(status=201)

            def post(self, request):
                return self.create(request)
    ''')
    module = lower_module(ParserPool().parse("python", source.encode()).root_node, "shop/views.py",
                          tuple(source.splitlines()))
    validating = signature_checks(module, {}, build_index(module)).validating
    assert "OrderView.post" in validating
    assert "OwnCreateView.post" not in validating  # its own `create` validates nothing
