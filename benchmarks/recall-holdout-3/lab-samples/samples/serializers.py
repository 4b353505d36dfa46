from decimal import Decimal

from rest_framework import serializers

from labs.serializers import UserSummarySerializer

from .models import Aliquot, AssayResult, Attachment, Project, Sample, StorageBox


class AliquotSerializer(serializers.ModelSerializer):
    location = serializers.SerializerMethodField()

    class Meta:
        model = Aliquot
        fields = ("id", "barcode", "volume_ul", "slot", "location", "created_at")

    def get_location(self, obj):
        return obj.box.storage_path if obj.box else None


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = ("id", "original_name", "content_type", "checksum_md5", "uploaded_at")


class SampleSerializer(serializers.ModelSerializer):
    project_code = serializers.CharField(source="project.code", read_only=True)
    created_by = UserSummarySerializer(read_only=True)
    aliquots = AliquotSerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    box_label = serializers.SerializerMethodField()

    class Meta:
        model = Sample
        fields = (
            "id", "barcode", "project", "project_code", "sample_type", "status", "volume_ul",
            "box", "box_label", "slot", "storage_path", "collected_at", "created_by",
            "created_at", "lims_id", "notes", "aliquots", "attachments",
        )
        read_only_fields = ("status", "slot", "storage_path", "lims_id", "created_at")

    def get_box_label(self, obj):
        return obj.box.storage_path if obj.box else None

    def _check_same_lab(self, obj, field):
        lab_id = self.context["request"].user.profile.lab_id
        if obj is not None and obj.lab_id != lab_id:
            raise serializers.ValidationError({field: "Not found."})

    def validate_project(self, project):
        self._check_same_lab(project, "project")
        return project

    def validate_box(self, box):
        self._check_same_lab(box, "box")
        return box


class SampleExportSerializer(serializers.ModelSerializer):
    project_code = serializers.CharField(source="project.code")

    class Meta:
        model = Sample
        fields = ("barcode", "project_code", "sample_type", "status", "volume_ul",
                  "storage_path", "slot", "collected_at", "lims_id")


class AliquotRequestSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=1, max_value=12)
    volume_ul = serializers.DecimalField(max_digits=8, decimal_places=1, min_value=Decimal("0.5"))
    box = serializers.PrimaryKeyRelatedField(queryset=StorageBox.objects.all(), required=False, allow_null=True)

    def validate_box(self, box):
        if box is not None and box.lab_id != self.context["request"].user.profile.lab_id:
            raise serializers.ValidationError("Not found.")
        return box


class PlateImportSerializer(serializers.Serializer):
    url = serializers.URLField()
    project = serializers.PrimaryKeyRelatedField(queryset=Project.objects.all())

    def validate_project(self, project):
        if project.lab_id != self.context["request"].user.profile.lab_id:
            raise serializers.ValidationError("Not found.")
        return project


class ProjectSerializer(serializers.ModelSerializer):
    principal_investigator = UserSummarySerializer(read_only=True)
    sample_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Project
        fields = ("id", "code", "name", "principal_investigator", "sample_count", "created_at")


class AssayResultSerializer(serializers.ModelSerializer):
    reported_by = UserSummarySerializer(read_only=True)
    approved_by = UserSummarySerializer(read_only=True)
    out_of_range = serializers.BooleanField(read_only=True)

    class Meta:
        model = AssayResult
        fields = ("id", "sample", "assay", "value", "unit", "reference_low", "reference_high",
                  "out_of_range", "reported_by", "approved_by", "reported_at")

    def validate_sample(self, sample):
        if sample.lab_id != self.context["request"].user.profile.lab_id:
            raise serializers.ValidationError("Not found.")
        return sample


class SampleSearchResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sample
        fields = ("id", "barcode", "sample_type", "status", "storage_path", "slot", "created_at")
