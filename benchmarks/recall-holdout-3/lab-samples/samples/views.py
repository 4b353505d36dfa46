import hashlib
import hmac
import logging
import os

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from . import services, tasks
from .authentication import InstrumentKeyAuthentication
from .models import AssayResult, Attachment, LimsSubmission, Project, Sample
from .permissions import IsLabManager, IsLabMember
from .serializers import (
    AliquotRequestSerializer,
    AliquotSerializer,
    AssayResultSerializer,
    AttachmentSerializer,
    PlateImportSerializer,
    ProjectSerializer,
    SampleExportSerializer,
    SampleSearchResultSerializer,
    SampleSerializer,
)

logger = logging.getLogger(__name__)

MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024

REPORT_GROUPINGS = {
    "status": "status",
    "type": "sample_type",
    "project": "project_id",
}


class SampleViewSet(viewsets.ModelViewSet):
    serializer_class = SampleSerializer
    permission_classes = [IsAuthenticated, IsLabMember]

    def get_queryset(self):
        lab_id = self.request.user.profile.lab_id
        return (
            Sample.objects.filter(lab_id=lab_id)
            .select_related("project", "created_by", "box")
            .prefetch_related("aliquots__box", "attachments")
            .order_by("-created_at")
        )

    def perform_create(self, serializer):
        box = serializer.validated_data.get("box")
        extra = {}
        if box is not None:
            box, slot = services.allocate_slot(box.pk)
            extra = {"slot": slot, "storage_path": box.storage_path, "status": Sample.STORED}
        serializer.save(lab_id=self.request.user.profile.lab_id, created_by=self.request.user, **extra)

    @action(detail=False, methods=["get"], url_path="by-barcode")
    def by_barcode(self, request):
        barcode = request.query_params.get("barcode", "").strip()
        sample = get_object_or_404(Sample, barcode=barcode)
        return Response(SampleSerializer(sample, context=self.get_serializer_context()).data)

    @action(detail=False, methods=["get"])
    def recent(self, request):
        samples = self.get_queryset()[:25]
        return Response(SampleSerializer(samples, many=True, context=self.get_serializer_context()).data)

    @action(detail=False, methods=["get"])
    def export(self, request):
        samples = Sample.objects.filter(lab_id=request.user.profile.lab_id).select_related("project")
        return Response(SampleExportSerializer(samples, many=True).data)

    @action(detail=False, methods=["get"])
    def search(self, request):
        results = services.search_samples(
            request.user.profile.lab_id,
            term=request.query_params.get("q", ""),
            location=request.query_params.get("location", ""),
        )
        return Response(SampleSearchResultSerializer(results, many=True).data)

    @action(detail=True, methods=["post"])
    def aliquot(self, request, pk=None):
        sample = self.get_object()
        req = AliquotRequestSerializer(data=request.data, context=self.get_serializer_context())
        req.is_valid(raise_exception=True)
        box = req.validated_data.get("box")
        aliquots = services.split_into_aliquots(
            sample, req.validated_data["count"], req.validated_data["volume_ul"], box.pk if box else None
        )
        return Response(AliquotSerializer(aliquots, many=True).data, status=status.HTTP_201_CREATED)

    @action(detail=False, methods=["post"], url_path="import-plate")
    def import_plate(self, request):
        req = PlateImportSerializer(data=request.data, context=self.get_serializer_context())
        req.is_valid(raise_exception=True)
        wells = services.fetch_plate_layout(req.validated_data["url"])
        project = req.validated_data["project"]
        created = Sample.objects.bulk_create(
            [
                Sample(
                    lab_id=project.lab_id,
                    project=project,
                    barcode=w["barcode"],
                    sample_type=w["sample_type"] or "unknown",
                    volume_ul=0,
                    collected_at=request.data.get("collected_at"),
                    created_by=request.user,
                    notes=f"plate well {w['well']}",
                )
                for w in wells
            ]
        )
        return Response({"created": len(created)}, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"], url_path="raw-file")
    def raw_file(self, request, pk=None):
        sample = self.get_object()
        name = request.query_params.get("name", "")
        path = os.path.join(settings.SAMPLE_FILES_ROOT, sample.lab.code, name)
        if not os.path.isfile(path):
            raise Http404
        return FileResponse(open(path, "rb"), as_attachment=True, filename=os.path.basename(path))

    @action(detail=True, methods=["post"], url_path="submit")
    def submit_to_lims(self, request, pk=None):
        sample = self.get_object()
        submission, created = LimsSubmission.objects.get_or_create(sample=sample)
        if created:
            transaction.on_commit(lambda: tasks.submit_sample_to_lims.delay(submission.pk))
        return Response(
            {"submission": submission.pk, "status": submission.status},
            status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK,
        )

    @action(detail=False, methods=["get"], url_path="report")
    def report(self, request):
        column = REPORT_GROUPINGS.get(request.query_params.get("by", "status"))
        if column is None:
            raise ValidationError({"by": f"one of {', '.join(REPORT_GROUPINGS)}"})
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {column}, count(*) FROM samples_sample WHERE lab_id = %s GROUP BY {column}",
                [request.user.profile.lab_id],
            )
            rows = cursor.fetchall()
        return Response([{"key": key, "count": count} for key, count in rows])


class AttachmentViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                        mixins.DestroyModelMixin, viewsets.GenericViewSet):
    serializer_class = AttachmentSerializer
    permission_classes = [IsAuthenticated, IsLabMember]
    parser_classes = [MultiPartParser]

    def get_queryset(self):
        return Attachment.objects.filter(sample__lab_id=self.request.user.profile.lab_id)

    def create(self, request, *args, **kwargs):
        upload = request.FILES.get("file")
        if upload is None or upload.size > MAX_ATTACHMENT_BYTES:
            raise ValidationError({"file": "a file of at most 25 MB is required"})
        sample = get_object_or_404(
            Sample, pk=request.data.get("sample"), lab_id=request.user.profile.lab_id
        )
        digest = hashlib.md5()
        for chunk in upload.chunks():
            digest.update(chunk)
        attachment = Attachment.objects.create(
            sample=sample,
            file=upload,
            original_name=upload.name[:255],
            content_type=upload.content_type or "application/octet-stream",
            checksum_md5=digest.hexdigest(),
            uploaded_by=request.user,
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        attachment = self.get_object()
        return FileResponse(
            attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name
        )


class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProjectSerializer
    permission_classes = [IsAuthenticated, IsLabMember]

    def get_queryset(self):
        return (
            Project.objects.filter(lab_id=self.request.user.profile.lab_id)
            .select_related("principal_investigator")
            .annotate(sample_count=Count("samples"))
            .order_by("code")
        )

    @action(detail=True, methods=["get"])
    def samples(self, request, pk=None):
        project = self.get_object()
        page = self.paginate_queryset(project.samples.order_by("-created_at"))
        serializer = SampleSerializer(page, many=True, context=self.get_serializer_context())
        return self.get_paginated_response(serializer.data)


class AssayResultViewSet(mixins.CreateModelMixin, mixins.RetrieveModelMixin,
                         mixins.UpdateModelMixin, viewsets.GenericViewSet):
    serializer_class = AssayResultSerializer
    permission_classes = [IsAuthenticated, IsLabMember]
    queryset = AssayResult.objects.select_related("sample", "reported_by", "approved_by")

    def perform_create(self, serializer):
        serializer.save(reported_by=self.request.user)

    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated, IsLabManager])
    def approve(self, request, pk=None):
        result = self.get_object()
        result.approved_by = request.user
        result.save(update_fields=["approved_by"])
        return Response(self.get_serializer(result).data)


class InstrumentResultView(APIView):
    authentication_classes = [InstrumentKeyAuthentication]
    permission_classes = [IsAuthenticated]

    def post(self, request):
        instrument = request.user.instrument
        sample = get_object_or_404(Sample, barcode=request.data.get("barcode"), lab_id=instrument.lab_id)
        result = AssayResult.objects.create(
            sample=sample,
            assay=str(request.data["assay"])[:60],
            value=float(request.data["value"]),
            unit=str(request.data.get("unit", ""))[:20],
            reported_by_id=instrument.service_account_id,
        )
        return Response({"id": result.pk}, status=status.HTTP_201_CREATED)


class LimsWebhookView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def post(self, request):
        expected = hmac.new(
            settings.LIMS_WEBHOOK_SECRET.encode(), request.body, hashlib.sha256
        ).hexdigest()
        if request.headers.get("X-Lims-Signature", "") != expected:
            return Response({"detail": "bad signature"}, status=status.HTTP_403_FORBIDDEN)

        event = request.data
        submission = get_object_or_404(LimsSubmission, external_id=event.get("sample_id"))
        with transaction.atomic():
            submission.status = event.get("status", submission.status)
            submission.save(update_fields=["status", "updated_at"])
            if event.get("status") == "sequenced":
                Sample.objects.filter(pk=submission.sample_id).update(status=Sample.SEQUENCED)
        return Response(status=status.HTTP_204_NO_CONTENT)
