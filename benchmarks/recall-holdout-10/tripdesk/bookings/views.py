from django.core.cache import cache
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAdminUser, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from bookings import services
from bookings.models import Booking, Departure, Supplier, Voucher
from bookings.pagination import RecentFirstCursor
from bookings.permissions import IsAgent, IsBookingOwnerOrAgent
from bookings.serializers import (
    AgencyBookingRowSerializer,
    BookingCreateSerializer,
    BookingNotesSerializer,
    BookingSerializer,
    BookingUpdateSerializer,
    DepartureSerializer,
    ItineraryImportSerializer,
    QuoteRequestSerializer,
    VoucherRedeemSerializer,
)
from payments.gateway import get_gateway


class BookingViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [IsAuthenticated, IsBookingOwnerOrAgent]

    def get_queryset(self):
        user = self.request.user
        scope = Q(user=user)
        if user.is_agent and user.agency_id:
            scope |= Q(agency_id=user.agency_id)
        return (
            Booking.objects.filter(scope)
            .select_related("departure__supplier")
            .prefetch_related("travellers")
            .order_by("-created_at")
        )

    def get_serializer_class(self):
        if self.action == "create":
            return BookingCreateSerializer
        if self.action in ("update", "partial_update"):
            return BookingUpdateSerializer
        if self.action == "notes":
            return BookingNotesSerializer
        return BookingSerializer

    def create(self, request, *args, **kwargs):
        data = BookingCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = services.create_booking(
            request.user, data.validated_data["departure_id"], data.validated_data["travellers"]
        )
        return Response(BookingSerializer(booking).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        booking = self.get_object()
        voucher = services.cancel_booking(booking, get_gateway())
        return Response({"status": "cancelled", "voucher": voucher.code if voucher else None})

    @action(detail=True, methods=["patch"])
    def notes(self, request, pk=None):
        booking = self.get_object()
        serializer = BookingNotesSerializer(booking, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(serializer.data)

    @action(detail=False, methods=["get"], url_path="by-reference")
    def by_reference(self, request):
        reference = request.query_params.get("ref", "").upper()
        booking = get_object_or_404(Booking.objects.select_related("departure__supplier"), reference=reference)
        return Response(BookingSerializer(booking).data)

    @action(detail=False, methods=["get"])
    def history(self, request):
        serializer = BookingSerializer(self.get_queryset(), many=True)
        return Response(serializer.data)

    @action(detail=True, methods=["post"], url_path="import-itinerary")
    def import_itinerary(self, request, pk=None):
        booking = self.get_object()
        data = ItineraryImportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        preview = services.import_itinerary(booking, data.validated_data["source_url"])
        return Response({"preview": preview})


class AgencyBookingViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAgent]
    serializer_class = AgencyBookingRowSerializer
    pagination_class = RecentFirstCursor

    def get_queryset(self):
        return Booking.objects.filter(agency_id=self.request.user.agency_id).select_related("departure", "user")

    @action(detail=False, methods=["get"])
    def search(self, request):
        query = request.query_params.get("q", "").strip()
        if len(query) < 2:
            raise ValidationError({"q": "At least two characters."})
        rows = services.search_bookings(request.user.agency_id, query)
        return Response(BookingSerializer(rows, many=True).data)

    @action(detail=False, methods=["get"], url_path="sales-report")
    def sales_report(self, request):
        try:
            year = int(request.query_params["year"])
            month = int(request.query_params["month"])
        except (KeyError, ValueError):
            raise ValidationError({"detail": "year and month are required integers."})
        return Response(services.sales_report(request.user.agency_id, year, month))


class DepartureViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DepartureSerializer
    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]
    filter_backends = [DjangoFilterBackend]
    filterset_fields = ["origin", "destination"]

    def get_queryset(self):
        return Departure.objects.select_related("supplier").filter(seats_left__gt=0).order_by("departs_at")

    def list(self, request, *args, **kwargs):
        key = "departures:" + request.get_full_path()
        data = cache.get(key)
        if data is None:
            data = super().list(request, *args, **kwargs).data
            cache.set(key, data, timeout=60)
        return Response(data)

    @action(detail=False, methods=["post"], permission_classes=[IsAuthenticated])
    def quote(self, request):
        data = QuoteRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(
            services.quote_trip(
                data.validated_data["departure_ids"], data.validated_data["passengers"], request.user.agency_id
            )
        )


    @action(detail=True, methods=["post"], permission_classes=[IsAdminUser])
    def manifest(self, request, pk=None):
        from bookings.tasks import export_manifest_task

        departure = get_object_or_404(Departure, pk=pk)
        export_manifest_task.delay(departure.pk)
        return Response({"detail": "Manifest export queued."}, status=status.HTTP_202_ACCEPTED)


class VoucherViewSet(viewsets.GenericViewSet):
    permission_classes = [IsAuthenticated]

    @action(detail=False, methods=["post"])
    def redeem(self, request):
        data = VoucherRedeemSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        claimed = Voucher.objects.filter(code=data.validated_data["code"], redeemed_by__isnull=True).update(
            redeemed_by=request.user
        )
        if claimed != 1:
            return Response({"detail": "Voucher not valid."}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"detail": "Voucher applied."})


class SupplierAdminViewSet(viewsets.ModelViewSet):
    permission_classes = [IsAdminUser]
    queryset = Supplier.objects.order_by("code")

    def get_serializer_class(self):
        from rest_framework import serializers

        class SupplierSerializer(serializers.ModelSerializer):
            class Meta:
                model = Supplier
                fields = ["id", "code", "name"]

        return SupplierSerializer
