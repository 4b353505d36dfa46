from django.urls import path

from .views import PatientDocumentDownloadView, PatientDocumentListView

urlpatterns = [
    path("patients/<int:patient_id>/documents/", PatientDocumentListView.as_view(), name="patient-documents"),
    path("documents/<int:document_id>/download/", PatientDocumentDownloadView.as_view(), name="document-download"),
]
