import logging
from datetime import timedelta

from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from rest_framework import generics, parsers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.clinics.models import Clinic, Practitioner
from apps.patients.models import Patient
from common.pagination import AppointmentCursorPagination
from common.permissions import IsClinicAdmin, IsClinicMember, IsPortalPatient
from common.utils import parse_date_param

from . import services
from .calendar_import import CalendarFeedError, import_external_calendar
from .models import Appointment, Slot
from .serializers import (
    AppointmentSerializer,
    BookAppointmentSerializer,
    BulkStatusSerializer,
    CalendarImportSerializer,
    SlotSerializer,
)
from .templates_import import TemplateError, parse_schedule_template, save_template

logger = logging.getLogger(__name__)


class SlotViewSet(viewsets.ModelViewSet):
    serializer_class = SlotSerializer
    permission_classes = [IsAuthenticated, IsClinicMember]
    filterset_fields = ["practitioner", "room", "is_blocked"]

    def get_queryset(self):
        qs = Slot.objects.filter(practitioner__clinic_id=self.request.user.staff_profile.clinic_id).select_related(
            "practitioner__user", "room"
        )
        day = parse_date_param(self.request.query_params.get("from"))
        if day:
            qs = qs.filter(start__date__gte=day)
        return qs.order_by("start")

    def _check_practitioner(self, serializer):
        practitioner = serializer.validated_data.get("practitioner") or getattr(serializer.instance, "practitioner", None)
        if practitioner is None or practitioner.clinic_id != self.request.user.staff_profile.clinic_id:
            raise Http404

    def perform_create(self, serializer):
        self._check_practitioner(serializer)
        serializer.save(source="manual")

    def perform_update(self, serializer):
        self._check_practitioner(serializer)
        serializer.save()


class AppointmentViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = AppointmentSerializer
    permission_classes = [IsAuthenticated, IsClinicMember]
    pagination_class = AppointmentCursorPagination
    filterset_fields = ["status", "practitioner", "patient"]

    def get_queryset(self):
        return Appointment.objects.filter(
            practitioner__clinic_id=self.request.user.staff_profile.clinic_id
        ).select_related("patient", "practitioner__user", "slot")

    @action(detail=False, methods=["post"])
    def book(self, request):
        serializer = BookAppointmentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        clinic_id = request.user.staff_profile.clinic_id
        patient = get_object_or_404(Patient, pk=serializer.validated_data["patient_id"], clinic_id=clinic_id)
        slot = get_object_or_404(Slot, pk=serializer.validated_data["slot_id"], practitioner__clinic_id=clinic_id)
        appointment = services.book_appointment(
            slot.pk, patient, created_by=request.user, reason=serializer.validated_data.get("reason", "")
        )
        return Response(AppointmentSerializer(appointment).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        appointment = services.cancel_appointment(self.get_object())
        return Response(AppointmentSerializer(appointment).data)

    @action(detail=False, methods=["post"], url_path="bulk-status")
    def bulk_status(self, request):
        serializer = BulkStatusSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        updated = services.bulk_set_status(
            request.user.staff_profile.clinic,
            serializer.validated_data["appointment_ids"],
            serializer.validated_data["status"],
        )
        return Response({"updated": updated})


class AgendaView(APIView):
    permission_classes = [IsAuthenticated, IsClinicMember]

    def get(self, request):
        day = parse_date_param(request.query_params.get("day"), default=timezone.localdate())
        clinic = request.user.staff_profile.clinic
        return Response(
            {
                "day": day.isoformat(),
                "rows": services.daily_agenda(clinic, day),
                "counts": services.status_counts(clinic, day),
                "utilisation_pct": services.utilisation(clinic, day),
            }
        )


class PractitionerWeekView(APIView):
    permission_classes = [IsAuthenticated, IsClinicMember]

    def get(self, request, practitioner_id):
        practitioner = get_object_or_404(
            Practitioner, pk=practitioner_id, clinic_id=request.user.staff_profile.clinic_id
        )
        week_start = parse_date_param(request.query_params.get("week_start"), default=timezone.localdate())
        return Response(services.practitioner_week(practitioner, week_start))


class ScheduleTemplateImportView(APIView):
    permission_classes = [IsAuthenticated, IsClinicAdmin]
    parser_classes = [parsers.MultiPartParser]

    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            return Response({"detail": "file is required"}, status=status.HTTP_400_BAD_REQUEST)
        if upload.size > 256 * 1024:
            return Response({"detail": "template too large"}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        try:
            document = parse_schedule_template(upload.read())
        except TemplateError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        template = save_template(request.user.staff_profile.clinic, request.data.get("name", upload.name), document, request.user)
        return Response({"id": template.pk, "name": template.name}, status=status.HTTP_201_CREATED)


class PractitionerCalendarImportView(APIView):
    permission_classes = [IsAuthenticated, IsClinicMember]

    def post(self, request, practitioner_id):
        practitioner = get_object_or_404(
            Practitioner, pk=practitioner_id, clinic_id=request.user.staff_profile.clinic_id
        )
        serializer = CalendarImportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            created = import_external_calendar(
                practitioner,
                serializer.validated_data["feed_url"],
                days_ahead=serializer.validated_data["days_ahead"],
            )
        except CalendarFeedError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"blocked_slots": created})


class WidgetAvailabilityView(generics.ListAPIView):
    """Public availability for the embeddable booking widget."""

    serializer_class = SlotSerializer
    permission_classes = [AllowAny]
    authentication_classes = []

    def get_queryset(self):
        clinic = get_object_or_404(Clinic, slug=self.kwargs["clinic_slug"], widget_enabled=True)
        now = timezone.now()
        return (
            Slot.objects.filter(
                practitioner__clinic=clinic,
                practitioner__accepts_online_booking=True,
                is_blocked=False,
                start__gte=now,
                start__lt=now + timedelta(days=14),
            )
            .select_related("practitioner__user", "room")
            .order_by("start")
        )


class WidgetBookView(APIView):
    permission_classes = [IsAuthenticated, IsPortalPatient]

    def post(self, request, clinic_slug):
        patient = request.user.patient
        slot = get_object_or_404(
            Slot, pk=request.data.get("slot_id"), practitioner__clinic__slug=clinic_slug, practitioner__clinic_id=patient.clinic_id
        )
        with transaction.atomic():
            appointment = services.book_appointment(slot.pk, patient, reason=request.data.get("reason", "")[:255], booked_via="widget")
        return Response(AppointmentSerializer(appointment).data, status=status.HTTP_201_CREATED)

