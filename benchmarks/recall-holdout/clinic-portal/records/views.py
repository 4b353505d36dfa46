import csv
import hashlib
import logging
import random
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db.models import F
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, UpdateView

from .decorators import clinic_staff_only, require_same_clinic
from .forms import BookingForm, PatientProfileForm, PatientSearchForm
from .models import Appointment, LabResult, Patient, Slot
from .selectors import search_patients, upcoming_for_patient

logger = logging.getLogger(__name__)

WAITING_ROOM_TIPS = (
    "Bring a list of your current medication.",
    "Arrive 10 minutes early for your first visit.",
    "You can reschedule up to 24 hours ahead online.",
)


def portal_login(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        user = authenticate(
            request,
            username=request.POST.get("username", ""),
            password=request.POST.get("password", ""),
        )
        if user is not None:
            login(request, user)
            return redirect(request.GET.get("next") or settings.LOGIN_REDIRECT_URL)
        messages.error(request, "Invalid username or password.")
    return render(request, "records/login.html")


def portal_logout(request: HttpRequest) -> HttpResponse:
    logout(request)
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = settings.LOGIN_URL
    return redirect(target)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    patient = get_object_or_404(Patient, user=request.user)
    rows = []
    for appt in upcoming_for_patient(patient):
        rows.append(
            {
                "id": appt.pk,
                "when": appt.slot.starts_at,
                "with": appt.clinician.user.get_full_name(),
            }
        )
    return render(
        request,
        "records/dashboard.html",
        {"patient": patient, "appointments": rows, "tip": random.choice(WAITING_ROOM_TIPS)},
    )


class AppointmentDetailView(LoginRequiredMixin, DetailView):
    template_name = "records/appointment_detail.html"
    context_object_name = "appointment"

    def get_queryset(self):
        return Appointment.objects.select_related("clinician__user", "slot").filter(
            patient__user=self.request.user
        )


class ProfileUpdateView(LoginRequiredMixin, UpdateView):
    form_class = PatientProfileForm
    template_name = "records/profile.html"
    success_url = "/profile/"

    def get_object(self, queryset=None):
        return get_object_or_404(Patient, user=self.request.user)


@login_required
def book_appointment(request: HttpRequest) -> HttpResponse:
    patient = get_object_or_404(Patient, user=request.user)
    form = BookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        slot = get_object_or_404(Slot, pk=form.cleaned_data["slot_id"])
        if slot.booked >= slot.capacity:
            messages.error(request, "That slot has just been taken.")
            return redirect("records:book")
        slot.booked += 1
        slot.save(update_fields=["booked"])
        appt = Appointment.objects.create(
            patient=patient,
            clinician_id=slot.clinician_id,
            slot=slot,
            reason=form.cleaned_data["reason"],
        )
        return redirect("records:appointment", pk=appt.pk)
    return render(request, "records/book.html", {"form": form})


@csrf_exempt
@require_POST
@login_required
def cancel_appointment(request: HttpRequest, pk: int) -> JsonResponse:
    appt = get_object_or_404(Appointment, pk=pk, patient__user=request.user)
    if appt.status != Appointment.Status.BOOKED:
        return JsonResponse({"error": "not cancellable"}, status=409)
    appt.status = Appointment.Status.CANCELLED
    appt.save(update_fields=["status"])
    Slot.objects.filter(pk=appt.slot_id, booked__gt=0).update(booked=F("booked") - 1)
    return JsonResponse({"status": appt.status})


@login_required
def lab_result_download(request: HttpRequest, result_id: int) -> HttpResponse:
    result = get_object_or_404(LabResult, pk=result_id, released=True)
    path = settings.LAB_RESULTS_ROOT / result.file_name
    etag = hashlib.sha1(f"{result.pk}:{result.received_at.isoformat()}".encode()).hexdigest()
    if request.headers.get("If-None-Match") == etag:
        return HttpResponse(status=304)
    response = FileResponse(open(path, "rb"), content_type="application/pdf")
    response["ETag"] = etag
    return response


@login_required
def send_checkin_code(request: HttpRequest, pk: int) -> JsonResponse:
    appt = get_object_or_404(Appointment, pk=pk, patient__user=request.user)
    code = f"{secrets.randbelow(10**6):06d}"
    request.session[f"checkin:{appt.pk}"] = code
    from .tasks import send_sms

    send_sms.delay(appt.patient.phone, f"Your check-in code is {code}")
    logger.info("check-in code %s issued for appointment %s (%s)", code, appt.pk, appt.patient.phone)
    return JsonResponse({"sent": True})


@clinic_staff_only
def patient_chart(request: HttpRequest, patient_id: int) -> HttpResponse:
    patient = get_object_or_404(Patient, pk=patient_id)
    require_same_clinic(request.user, patient)
    appointments = patient.appointments.select_related("slot", "clinician__user").order_by(
        "-slot__starts_at"
    )[:20]
    results = patient.lab_results.order_by("-received_at")[:20]
    return render(
        request,
        "records/chart.html",
        {"patient": patient, "appointments": appointments, "results": results},
    )


@clinic_staff_only
def staff_dashboard(request: HttpRequest) -> HttpResponse:
    clinician = request.user.clinician
    today = timezone.localdate()
    todays = Appointment.objects.filter(clinician=clinician, slot__starts_at__date=today)
    counts = {}
    for status in (Appointment.Status.BOOKED, Appointment.Status.CANCELLED, Appointment.Status.ATTENDED):
        counts[status] = todays.filter(status=status).count()
    return render(request, "records/staff_dashboard.html", {"counts": counts})


@clinic_staff_only
def clinician_schedule_json(request: HttpRequest) -> JsonResponse:
    clinician = request.user.clinician
    day = request.GET.get("day") or timezone.localdate().isoformat()
    appts = Appointment.objects.filter(clinician=clinician, slot__starts_at__date=day).order_by(
        "slot__starts_at"
    )
    payload = []
    for a in appts:
        payload.append(
            {
                "id": a.pk,
                "time": a.slot.starts_at.strftime("%H:%M"),
                "patient": a.patient.full_name,
                "dob": a.patient.date_of_birth.isoformat(),
                "status": a.status,
            }
        )
    return JsonResponse({"day": day, "appointments": payload})


@clinic_staff_only
def patient_search(request: HttpRequest) -> HttpResponse:
    form = PatientSearchForm(request.GET or None)
    results = []
    if form.is_valid():
        results = search_patients(form.cleaned_data["q"], request.user.clinician.clinic_id)
    return render(request, "records/search.html", {"form": form, "results": results})


class StaffPatientListView(PermissionRequiredMixin, ListView):
    permission_required = "records.view_patient"
    template_name = "records/patient_list.html"
    paginate_by = 50

    def get_queryset(self):
        return Patient.objects.filter(clinic=self.request.user.clinician.clinic).order_by(
            "last_name", "first_name"
        )


@login_required
def export_patients_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="patients.csv"'
    writer = csv.writer(response)
    writer.writerow(["id", "first_name", "last_name", "dob", "national_id", "phone", "email"])
    for p in Patient.objects.filter(clinic_id=request.GET.get("clinic")).iterator(chunk_size=1000):
        writer.writerow([p.pk, p.first_name, p.last_name, p.date_of_birth, p.national_id, p.phone, p.email])
    return response
