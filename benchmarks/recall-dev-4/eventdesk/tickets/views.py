import logging
import random
import secrets

from django.contrib.auth import authenticate, get_user_model
from django.db import IntegrityError, connection, transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from rest_framework import mixins, status, viewsets
from rest_framework.authtoken.models import Token
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny, IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from . import services
from .authentication import SpaSessionAuthentication
from .models import Event, Order, Profile, Ticket, TransferOffer, Venue, WebhookEvent
from .payments import GatewayError, gateway, verify_signature
from .permissions import IsDoorStaff, IsEventOrganizer, IsOrganizer, ReadOnlyOrEventOrganizer
from .serializers import (
    AttendeeSerializer,
    CheckInSerializer,
    CheckoutSerializer,
    ClaimSerializer,
    EventSerializer,
    OrderSerializer,
    PayoutDetailsSerializer,
    ProfileSerializer,
    TicketSerializer,
    TransferSerializer,
    VenueSerializer,
    WalletTransferSerializer,
)
from .tasks import send_ticket_email

logger = logging.getLogger(__name__)
User = get_user_model()


class HealthView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def get(self, request):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return Response({"status": "ok"})


class LoginView(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    def post(self, request):
        user = authenticate(
            request, username=request.data.get("username", ""), password=request.data.get("password", "")
        )
        if user is None:
            return Response({"detail": "Invalid credentials."}, status=status.HTTP_400_BAD_REQUEST)
        token, _ = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class VenueViewSet(viewsets.ModelViewSet):
    queryset = Venue.objects.order_by("name")
    serializer_class = VenueSerializer

    def get_permissions(self):
        if self.action in ("list", "retrieve"):
            return [IsAuthenticated()]
        return [IsAdminUser()]


class EventViewSet(viewsets.ModelViewSet):
    serializer_class = EventSerializer
    permission_classes = [ReadOnlyOrEventOrganizer]
    ordering_fields = ("starts_at", "title")
    filterset_fields = ("venue__city", "status")

    def get_queryset(self):
        qs = Event.objects.select_related("venue", "organizer__profile").prefetch_related("ticket_types").order_by("starts_at", "id")
        if self.action in ("list", "retrieve", "search"):
            return qs.filter(status=Event.Status.PUBLISHED)
        return qs

    def get_permissions(self):
        if self.action == "create":
            return [IsOrganizer()]
        return super().get_permissions()

    def perform_create(self, serializer):
        serializer.save(organizer=self.request.user, status=Event.Status.DRAFT)

    @action(detail=False, methods=["get"], permission_classes=[AllowAny])
    def search(self, request):
        term = request.query_params.get("q", "")
        if len(term) < 2:
            raise ValidationError({"q": "Enter at least two characters."})
        page = self.paginate_queryset(services.search_events(self.get_queryset(), term))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @action(detail=False, methods=["get"], permission_classes=[AllowAny])
    def featured(self, request):
        upcoming = list(self.get_queryset().filter(starts_at__gte=timezone.now()).order_by("starts_at")[:20])
        picks = random.sample(upcoming, k=min(4, len(upcoming)))
        return Response(self.get_serializer(picks, many=True).data)

    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, IsEventOrganizer])
    def publish(self, request, pk=None):
        event = self.get_object()
        if not event.ticket_types.exists():
            raise ValidationError("Add at least one ticket type before publishing.")
        event.status = Event.Status.PUBLISHED
        event.save(update_fields=["status"])
        return Response(self.get_serializer(event).data)

    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def cancel(self, request, pk=None):
        event = self.get_object()
        event.status = Event.Status.CANCELLED
        event.save(update_fields=["status"])
        refunded = 0
        for order in event.orders.filter(status=Order.Status.PAID):
            services.refund_order(order, reason="event cancelled")
            refunded += 1
        return Response({"status": event.status, "refunded_orders": refunded})

    @action(detail=True, methods=["get"], permission_classes=[IsAuthenticated, IsEventOrganizer])
    def orders(self, request, pk=None):
        event = self.get_object()
        orders = event.orders.prefetch_related("items__ticket_type__event").order_by("-created_at")
        return Response(OrderSerializer(orders, many=True).data)

    @action(detail=True, methods=["get"], permission_classes=[IsAuthenticated, IsEventOrganizer])
    def sales(self, request, pk=None):
        event = self.get_object()
        return Response(services.sales_summary(event.id))

    @action(detail=True, methods=["get"], permission_classes=[AllowAny], url_path="badge-list")
    def badge_list(self, request, pk=None):
        """Feed for the on-site badge printers."""
        event = get_object_or_404(Event, pk=pk)
        tickets = Ticket.objects.filter(ticket_type__event=event).select_related("ticket_type")
        page = self.paginate_queryset(tickets.order_by("attendee_name"))
        return self.get_paginated_response(AttendeeSerializer(page, many=True).data)


class OrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = OrderSerializer

    def get_queryset(self):
        return Order.objects.filter(user=self.request.user).select_related("event").order_by("-created_at")

    def create(self, request):
        serializer = CheckoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        key = request.headers.get("Idempotency-Key")
        try:
            order, created = services.create_order(request.user, serializer.validated_data, key)
        except IntegrityError:
            order, created = Order.objects.get(user=request.user, idempotency_key=key), False
        if created and order.status == Order.Status.PENDING and serializer.validated_data.get("payment_method"):
            try:
                charge = gateway().charge(
                    amount=order.total - order.paid_from_wallet,
                    currency="EUR",
                    payment_method=serializer.validated_data["payment_method"],
                    reference=order.reference,
                )
            except GatewayError as exc:
                return Response({"detail": str(exc), "order": order.reference}, status=status.HTTP_402_PAYMENT_REQUIRED)
            Order.objects.filter(pk=order.pk).update(gateway_charge_id=charge["id"])
        return Response(
            OrderSerializer(order).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @action(detail=True, methods=["post"])
    def refund(self, request, pk=None):
        order = self.get_object()
        if order.event.starts_at <= timezone.now():
            raise ValidationError("The event has started; refunds are closed.")
        refund = services.refund_order(order, reason="requested by customer")
        return Response({"refunded": str(refund.amount), "to_wallet": refund.to_wallet})


class TicketViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                    viewsets.GenericViewSet):
    serializer_class = TicketSerializer

    def get_queryset(self):
        return Ticket.objects.filter(owner=self.request.user).select_related("ticket_type__event")

    def perform_update(self, serializer):
        ticket = serializer.save()
        send_ticket_email.delay(ticket.id)

    @action(detail=False, methods=["post"])
    def transfer(self, request):
        serializer = TransferSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ticket = Ticket.objects.select_related("ticket_type__event").get(pk=serializer.validated_data["ticket_id"])
        if ticket.checked_in_at:
            raise ValidationError("Checked-in tickets cannot be transferred.")
        offer = TransferOffer.objects.create(
            ticket=ticket, from_user=request.user, claim_token=secrets.token_urlsafe(32)
        )
        return Response({"claim_token": offer.claim_token}, status=status.HTTP_201_CREATED)

    @action(detail=False, methods=["post"])
    def claim(self, request):
        serializer = ClaimSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            offer = get_object_or_404(
                TransferOffer.objects.select_for_update().select_related("ticket"),
                claim_token=serializer.validated_data["claim_token"],
                claimed=False,
            )
            ticket = offer.ticket
            ticket.owner = request.user
            ticket.attendee_name = serializer.validated_data["attendee_name"]
            ticket.attendee_email = serializer.validated_data["attendee_email"]
            ticket.code = services.make_code(ticket.order_id, ticket.id)
            ticket.save()
            offer.claimed = True
            offer.save(update_fields=["claimed"])
        send_ticket_email.delay(ticket.id)
        return Response(TicketSerializer(ticket).data)


class CheckInViewSet(viewsets.ViewSet):
    permission_classes = [IsDoorStaff]

    @action(detail=False, methods=["post"])
    def scan(self, request):
        serializer = CheckInSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        results = {}
        for code in serializer.validated_data["codes"]:
            ticket = Ticket.objects.filter(code=code).first()
            if ticket is None:
                results[code] = "unknown"
            elif ticket.checked_in_at:
                results[code] = "already-checked-in"
            else:
                ticket.checked_in_at = timezone.now()
                ticket.save(update_fields=["checked_in_at"])
                results[code] = "ok"
        return Response(results)


class MeViewSet(viewsets.GenericViewSet):
    serializer_class = ProfileSerializer

    def get_object(self):
        return Profile.objects.get(user=self.request.user)

    @action(detail=False, methods=["get", "patch"])
    def profile(self, request):
        profile = self.get_object()
        if request.method == "GET":
            return Response(self.get_serializer(profile).data)
        serializer = self.get_serializer(profile, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(serializer.data)

    @action(detail=False, methods=["put"], url_path="payout-details", permission_classes=[IsOrganizer])
    def payout_details(self, request):
        serializer = PayoutDetailsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile = self.get_object()
        profile.payout_iban = serializer.validated_data["iban"]
        profile.payout_verified = False
        profile.save(update_fields=["payout_iban", "payout_verified"])
        logger.info("payout details updated for user %s: %s", request.user.pk, serializer.validated_data)
        return Response({"status": "pending-verification"})


class WalletViewSet(viewsets.GenericViewSet):
    authentication_classes = [SpaSessionAuthentication]

    @action(detail=False, methods=["get"])
    def balance(self, request):
        return Response({"balance": str(request.user.wallet.balance)})

    @action(detail=False, methods=["post"])
    def send(self, request):
        serializer = WalletTransferSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        recipient = get_object_or_404(User, username=serializer.validated_data["to_username"])
        if recipient == request.user:
            raise ValidationError("Cannot send credit to yourself.")
        remaining = services.transfer_wallet_credit(request.user, recipient, serializer.validated_data["amount"])
        return Response({"balance": str(remaining)})


@method_decorator(csrf_exempt, name="dispatch")
class PaymentWebhookView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    def post(self, request):
        if not verify_signature(request.body, request.headers.get("X-PayGate-Signature", "")):
            raise PermissionDenied("bad signature")
        event = request.data
        with transaction.atomic():
            _, created = WebhookEvent.objects.get_or_create(event_id=event["id"], defaults={"type": event["type"]})
            if not created:
                return Response({"duplicate": True})
            if event["type"] == "charge.succeeded":
                order = (
                    Order.objects.select_for_update()
                    .filter(gateway_charge_id=event["data"]["id"], status=Order.Status.PENDING)
                    .first()
                )
                if order is not None:
                    order.status = Order.Status.PAID
                    order.save(update_fields=["status"])
        return Response({"received": True})
