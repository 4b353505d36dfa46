from django.http import FileResponse, Http404
from rest_framework import generics, parsers, status, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from common.permissions import IsClinicMember

from . import services
from .models import Patient, PatientDocument
from .serializers import PatientDocumentSerializer, PatientListSerializer, PatientSerializer


def _get_patient_or_404(request, patient_id):
    try:
        return services.get_patient_for_staff(request.user, patient_id)
    except Patient.DoesNotExist as exc:
        raise Http404 from exc


class PatientViewSet(viewsets.ModelViewSet):
    permission_classes = [IsAuthenticated, IsClinicMember]

    def get_serializer_class(self):
        return PatientListSerializer if self.action == "list" else PatientSerializer

    def get_queryset(self):
        clinic_id = self.request.user.staff_profile.clinic_id
        return services.search_patients(clinic_id, self.request.query_params.get("q")).order_by("last_name", "first_name")

    def create(self, request, *args, **kwargs):
        serializer = PatientSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        patient = Patient.objects.create(clinic=request.user.staff_profile.clinic, **serializer.validated_data)
        return Response(PatientSerializer(patient).data, status=status.HTTP_201_CREATED)


class PatientDocumentListView(generics.ListCreateAPIView):
    serializer_class = PatientDocumentSerializer
    permission_classes = [IsAuthenticated, IsClinicMember]
    parser_classes = [parsers.MultiPartParser]

    def get_queryset(self):
        patient = _get_patient_or_404(self.request, self.kwargs["patient_id"])
        return patient.documents.order_by("-uploaded_at")

    def perform_create(self, serializer):
        patient = _get_patient_or_404(self.request, self.kwargs["patient_id"])
        serializer.save(patient=patient, uploaded_by=self.request.user, file=self.request.FILES["file"])


class PatientDocumentDownloadView(APIView):
    permission_classes = [IsAuthenticated, IsClinicMember]

    def get(self, request, document_id):
        try:
            document = PatientDocument.objects.select_related("patient").get(pk=document_id)
        except PatientDocument.DoesNotExist as exc:
            raise Http404 from exc
        response = FileResponse(document.file.open("rb"), as_attachment=True, filename=document.file.name.rsplit("/", 1)[-1])
        response["Cache-Control"] = "private, no-store"
        return response

