"""Async endpoints used by the front-desk screen's live panels."""
import asyncio

from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone

from apps.accounts.models import StaffProfile
from apps.clinics.models import Practitioner
from common.http import http

from .models import Appointment

POLL_INTERVAL_SECONDS = 0.5
POLL_ATTEMPTS = 20


async def _staff_clinic_id(request):
    user = await request.auser()
    if not user.is_authenticated:
        return None
    profile = await StaffProfile.objects.filter(user_id=user.pk, is_active=True).afirst()
    return profile.clinic_id if profile else None


async def check_in_status(request, appointment_id):
    """Long-poll until the kiosk check-in for an appointment lands."""
    clinic_id = await _staff_clinic_id(request)
    if clinic_id is None:
        return JsonResponse({"detail": "Authentication required."}, status=401)

    for _ in range(POLL_ATTEMPTS):
        appointment = await Appointment.objects.filter(pk=appointment_id, practitioner__clinic_id=clinic_id).afirst()
        if appointment is None:
            return JsonResponse({"detail": "Not found."}, status=404)
        if appointment.status != Appointment.Status.BOOKED:
            return JsonResponse({"id": appointment.pk, "status": appointment.status})
        await asyncio.sleep(POLL_INTERVAL_SECONDS)
    return JsonResponse({"id": appointment_id, "status": Appointment.Status.BOOKED})


async def practitioner_busy_times(request, practitioner_id):
    """Busy blocks from the calendar-sync sidecar, for the booking screen overlay."""
    clinic_id = await _staff_clinic_id(request)
    if clinic_id is None:
        return JsonResponse({"detail": "Authentication required."}, status=401)

    practitioner = await Practitioner.objects.filter(pk=practitioner_id, clinic_id=clinic_id).afirst()
    if practitioner is None or not practitioner.calendar_id:
        return JsonResponse({"busy": []})

    today = timezone.localdate()
    response = http.get(
        f"{settings.CALENDAR_SYNC_URL}/calendars/{practitioner.calendar_id}/busy",
        params={"from": today.isoformat(), "days": 7},
    )
    response.raise_for_status()
    return JsonResponse({"busy": response.json().get("busy", [])})
