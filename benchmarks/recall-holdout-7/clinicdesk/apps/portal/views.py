"""Patient portal: SMS one-time-code login and self-service."""
import logging

from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseForbidden, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from rest_framework import generics, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.integrations.sms import SmsError, send_sms
from apps.patients.models import Patient
from apps.patients.serializers import PortalProfileSerializer
from apps.patients.services import normalise_phone, update_patient_profile
from apps.scheduling.models import Appointment
from apps.scheduling.serializers import AppointmentSerializer
from apps.scheduling.services import cancel_appointment
from common.exceptions import ServiceError
from common.permissions import IsPortalPatient

from . import otp

logger = logging.getLogger(__name__)
User = get_user_model()

GENERIC_CODE_MESSAGE = "If this number is registered with the clinic, a code is on its way."


class RequestCodeView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_scope = "portal_otp"

    def post(self, request):
        phone = normalise_phone(str(request.data.get("phone", "")))
        clinic_slug = str(request.data.get("clinic", ""))
        patient = (
            Patient.objects.filter(phone=phone, clinic__slug=clinic_slug, portal_enabled=True)
            .only("pk", "phone")
            .first()
        )
        if patient is not None:
            code = otp.generate_code()
            otp.store_code(patient.pk, code)
            try:
                send_sms(patient.phone, f"Your ClinicDesk code is {code}", reference=f"otp-{patient.pk}")
            except SmsError:
                logger.warning("could not send portal code to patient %s", patient.pk, exc_info=True)
        return Response({"detail": GENERIC_CODE_MESSAGE}, status=status.HTTP_202_ACCEPTED)


class VerifyCodeView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    # Waiting-room kiosks sit behind one NAT address; the anon limit locked out whole clinics.
    throttle_classes = []

    def post(self, request):
        phone = normalise_phone(str(request.data.get("phone", "")))
        clinic_slug = str(request.data.get("clinic", ""))
        code = str(request.data.get("code", ""))
        patient = Patient.objects.filter(phone=phone, clinic__slug=clinic_slug, portal_enabled=True).first()
        if patient is None or not otp.check_code(patient.pk, code):
            return Response({"detail": "Invalid code."}, status=status.HTTP_400_BAD_REQUEST)

        if patient.portal_user_id is None:
            user = User.objects.create_user(username=f"patient-{patient.pk}", email=patient.email or f"patient-{patient.pk}@portal.invalid")
            user.set_unusable_password()
            user.save(update_fields=["password"])
            Patient.objects.filter(pk=patient.pk).update(portal_user=user)
            patient.portal_user = user
        login(request._request, patient.portal_user, backend="django.contrib.auth.backends.ModelBackend")
        return Response({"detail": "Signed in."})


@require_GET
@login_required(login_url="/portal/sign-in/")
def portal_landing(request):
    next_url = request.GET.get("next", "/portal/home/")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = "/portal/home/"
    return redirect(next_url)


class ProfileView(APIView):
    permission_classes = [IsAuthenticated, IsPortalPatient]

    def get(self, request):
        return Response(PortalProfileSerializer(request.user.patient).data)

    def patch(self, request):
        serializer = PortalProfileSerializer(request.user.patient, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        patient = update_patient_profile(request.user.patient, request.data)
        return Response(PortalProfileSerializer(patient).data)


class MyAppointmentsView(generics.ListAPIView):
    serializer_class = AppointmentSerializer
    permission_classes = [IsAuthenticated, IsPortalPatient]

    def get_queryset(self):
        return (
            Appointment.objects.filter(patient=self.request.user.patient)
            .select_related("slot", "practitioner__user", "patient")
            .order_by("-slot__start")
        )


# Posted by the one-click form in reminder e-mails and by the mobile web view.
@csrf_exempt
@require_POST
@login_required(login_url="/portal/sign-in/")
def cancel_my_appointment(request, appointment_id):
    patient = getattr(request.user, "patient", None)
    if patient is None:
        return HttpResponseForbidden()
    appointment = get_object_or_404(Appointment.objects.select_related("slot"), pk=appointment_id, patient=patient)
    try:
        appointment = cancel_appointment(appointment, by_patient=True)
    except ServiceError as exc:
        return JsonResponse({"code": exc.code, "detail": exc.message}, status=409)
    return JsonResponse({"id": appointment.pk, "status": appointment.status})
