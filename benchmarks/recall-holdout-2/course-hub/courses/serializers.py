from django.contrib.auth import get_user_model
from rest_framework import serializers

from .models import Certificate, Course, Enrollment, InstructorApplication, Lesson, Review

User = get_user_model()


class InstructorSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ("id", "first_name", "last_name")


class LessonOutlineSerializer(serializers.ModelSerializer):
    class Meta:
        model = Lesson
        fields = ("id", "title", "position", "is_preview")


class LessonSerializer(serializers.ModelSerializer):
    class Meta:
        model = Lesson
        fields = ("id", "title", "body", "video_url", "position", "is_preview")


class CourseSerializer(serializers.ModelSerializer):
    owner = InstructorSerializer(read_only=True)
    lessons = LessonOutlineSerializer(many=True, read_only=True)

    class Meta:
        model = Course
        fields = (
            "id", "slug", "title", "summary", "category", "price", "published",
            "seat_limit", "seats_taken", "rating_avg", "owner", "lessons", "created_at",
        )
        read_only_fields = ("seats_taken", "rating_avg", "created_at")

    def validate_price(self, value):
        if value < 0:
            raise serializers.ValidationError("price cannot be negative")
        return value


class CourseSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Course
        fields = ("id", "slug", "title", "category")


class EnrollmentSerializer(serializers.ModelSerializer):
    course = CourseSummarySerializer(read_only=True)
    progress_percent = serializers.SerializerMethodField()

    class Meta:
        model = Enrollment
        fields = ("id", "course", "status", "amount_paid", "expires_at", "created_at", "progress_percent")
        read_only_fields = fields

    def get_progress_percent(self, obj):
        total = obj.course.lessons.count()
        if not total:
            return 0
        done = obj.progress.filter(completed_at__isnull=False).count()
        return round(100 * done / total)


class ReviewSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="user.first_name", read_only=True)

    class Meta:
        model = Review
        fields = ("id", "author", "rating", "text", "created_at")
        read_only_fields = ("id", "author", "created_at")

    def validate_rating(self, value):
        if not 1 <= value <= 5:
            raise serializers.ValidationError("rating must be between 1 and 5")
        return value


class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        exclude = ("password", "groups", "user_permissions")
        read_only_fields = ("date_joined", "last_login")


class InstructorApplicationSerializer(serializers.ModelSerializer):
    applicant = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = InstructorApplication
        fields = ("id", "applicant", "motivation", "portfolio_url", "status", "created_at")
        read_only_fields = ("id", "applicant", "status", "created_at")


class CertificateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Certificate
        fields = "__all__"
        depth = 2


class PurchaseSerializer(serializers.Serializer):
    payment_source = serializers.CharField(required=False, max_length=100)
    coupon = serializers.CharField(required=False, max_length=40)


class ProgressSerializer(serializers.Serializer):
    lesson = serializers.IntegerField()
    seconds_watched = serializers.IntegerField(min_value=0, max_value=24 * 3600)
    completed = serializers.BooleanField(default=False)
