import hashlib
import hmac
import json
import logging
import time

import jwt
from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from rest_framework import generics, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from . import services, tasks
from .models import Certificate, Course, Enrollment, InstructorApplication, Payment, Review
from .permissions import IsCourseOwner, IsCourseOwnerOrReadOnly, IsInstructorOrReadOnly
from .serializers import (
    CertificateSerializer, CourseSerializer, EnrollmentSerializer, InstructorApplicationSerializer,
    LessonSerializer, ProfileSerializer, ProgressSerializer, PurchaseSerializer, ReviewSerializer,
)

log = logging.getLogger(__name__)


class CourseFilter(filters.FilterSet):
    min_price = filters.NumberFilter(field_name="price", lookup_expr="gte")
    max_price = filters.NumberFilter(field_name="price", lookup_expr="lte")
    q = filters.CharFilter(method="search")

    class Meta:
        model = Course
        fields = ["category"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value))


class CourseViewSet(viewsets.ModelViewSet):
    serializer_class = CourseSerializer
    permission_classes = [permissions.IsAuthenticated, IsInstructorOrReadOnly, IsCourseOwnerOrReadOnly]
    filterset_class = CourseFilter
    lookup_field = "slug"
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        user = self.request.user
        qs = Course.objects.select_related("owner").prefetch_related("lessons").order_by("-created_at")
        if user.is_staff:
            return qs
        return qs.filter(Q(published=True) | Q(owner=user))

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)

    @action(detail=True, methods=["get"], permission_classes=[permissions.IsAuthenticated, IsCourseOwner])
    def revenue(self, request, slug=None):
        course = self.get_object()
        periods = services.revenue_report(
            course,
            since=request.query_params.get("since"),
            bucket=request.query_params.get("bucket", "month"),
        )
        return Response({"course": course.slug, "periods": periods})


class LessonViewSet(viewsets.ModelViewSet):
    serializer_class = LessonSerializer
    permission_classes = [permissions.IsAuthenticated, IsCourseOwnerOrReadOnly]

    def get_course(self):
        course = get_object_or_404(Course, slug=self.kwargs["course_slug"])
        embed_course = getattr(self.request, "embed_course_id", None)
        if embed_course is not None and embed_course != course.pk:
            raise NotFound()
        return course

    def get_queryset(self):
        course = self.get_course()
        qs = course.lessons.all()
        user = self.request.user
        if course.owner_id == user.id or user.is_staff:
            return qs
        enrolled = Enrollment.objects.filter(user=user, course=course, status=Enrollment.ACTIVE).exists()
        return qs if enrolled else qs.filter(is_preview=True)

    def perform_create(self, serializer):
        course = self.get_course()
        if course.owner_id != self.request.user.id and not self.request.user.is_staff:
            raise PermissionDenied("only the course owner can add lessons")
        serializer.save(course=course)


class EnrollmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = EnrollmentSerializer

    def get_queryset(self):
        qs = Enrollment.objects.all()
        if self.action == "list":
            return qs.filter(user=self.request.user).order_by("-created_at")
        return qs

    @action(detail=True, methods=["post"])
    def refund(self, request, pk=None):
        enrollment = self.get_object()
        try:
            services.refund_enrollment(enrollment)
        except services.EnrollmentError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(self.get_serializer(enrollment).data)

    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        enrollment = self.get_object()
        if enrollment.status != Enrollment.ACTIVE:
            raise PermissionDenied("enrollment is not active")
        serializer = ProgressSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.record_progress(enrollment, data["lesson"], data["seconds_watched"], data["completed"])
        if data["completed"] and services.course_completed(enrollment):
            transaction.on_commit(lambda: tasks.issue_certificate.delay(enrollment.pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"], url_path="embed-token")
    def embed_token(self, request, pk=None):
        enrollment = self.get_object()
        token = jwt.encode(
            {"sub": str(enrollment.user_id), "course": enrollment.course_id, "iat": int(time.time())},
            settings.EMBED_TOKEN_SECRET,
            algorithm="HS256",
        )
        return Response({"embed_token": token})


class PurchaseView(generics.GenericAPIView):
    serializer_class = PurchaseSerializer
    queryset = Course.objects.filter(published=True)
    lookup_field = "slug"

    def post(self, request, slug=None):
        course = self.get_object()
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            enrollment = services.purchase_course(
                request.user, course,
                payment_source=serializer.validated_data.get("payment_source"),
                coupon_code=serializer.validated_data.get("coupon"),
            )
        except services.EnrollmentError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(EnrollmentSerializer(enrollment).data, status=status.HTTP_201_CREATED)


class CourseReviewsView(generics.ListCreateAPIView):
    serializer_class = ReviewSerializer
    pagination_class = None

    def get_queryset(self):
        return (
            Review.objects.filter(course__slug=self.kwargs["slug"], course__published=True)
            .select_related("user")
            .order_by("-created_at")
        )

    def perform_create(self, serializer):
        course = get_object_or_404(Course, slug=self.kwargs["slug"], published=True)
        user = self.request.user
        if not Enrollment.objects.filter(user=user, course=course, status=Enrollment.ACTIVE).exists():
            raise PermissionDenied("only enrolled learners can review this course")
        if Review.objects.filter(user=user, course=course).exists():
            raise ValidationError({"detail": "you have already reviewed this course"})
        serializer.save(user=user, course=course)


class ProfileView(generics.RetrieveUpdateAPIView):
    serializer_class = ProfileSerializer

    def get_object(self):
        return self.request.user


class InstructorApplicationViewSet(mixins.CreateModelMixin, mixins.ListModelMixin,
                                   mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = InstructorApplicationSerializer

    def get_permissions(self):
        if self.action in ("list", "reject"):
            return [permissions.IsAdminUser()]
        return [permissions.IsAuthenticated()]

    def get_queryset(self):
        qs = InstructorApplication.objects.select_related("user").order_by("-created_at")
        return qs if self.request.user.is_staff else qs.filter(user=self.request.user)

    def perform_create(self, serializer):
        serializer.save(user=self.request.user)

    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        application = self.get_object()
        if application.status != InstructorApplication.PENDING:
            return Response({"detail": "application already reviewed"}, status=status.HTTP_409_CONFLICT)
        services.approve_application(application, request.user)
        return Response(self.get_serializer(application).data)

    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        application = self.get_object()
        if application.status != InstructorApplication.PENDING:
            return Response({"detail": "application already reviewed"}, status=status.HTTP_409_CONFLICT)
        application.status = InstructorApplication.REJECTED
        application.reviewed_by = request.user
        application.save(update_fields=["status", "reviewed_by"])
        return Response(self.get_serializer(application).data)


class CertificateVerifyView(generics.RetrieveAPIView):
    """Public: employers verify a certificate by its code."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "certificate-verify"
    serializer_class = CertificateSerializer
    queryset = Certificate.objects.select_related("enrollment__user", "enrollment__course")
    lookup_field = "verification_code"
    lookup_url_kwarg = "code"


class PaymentWebhookView(APIView):
    """Events from the payment provider. Authenticated by HMAC signature, not by user."""

    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    def post(self, request):
        signature = request.headers.get("X-Payments-Signature", "")
        expected = hmac.new(settings.PAYMENTS_WEBHOOK_SECRET.encode(), request.body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, signature):
            return Response({"detail": "bad signature"}, status=status.HTTP_400_BAD_REQUEST)

        event = json.loads(request.body)
        obj = event.get("data", {})
        if event.get("type") == "charge.succeeded":
            Payment.objects.filter(provider_ref=obj["id"]).update(status="succeeded")
        elif event.get("type") == "charge.refunded":
            self._refunded(obj)
        return Response({"received": True})

    def _refunded(self, obj):
        with transaction.atomic():
            charge = Payment.objects.select_for_update().filter(provider_ref=obj["id"]).first()
            if charge is None:
                log.warning("refund for unknown charge %s", obj["id"])
                return
            enrollment = Enrollment.objects.select_for_update().get(pk=charge.enrollment_id)
            _, created = Payment.objects.get_or_create(
                provider_ref=obj["refund_id"],
                defaults={"enrollment": enrollment, "kind": Payment.REFUND,
                          "amount": -charge.amount, "status": "succeeded"},
            )
            if created and enrollment.status == Enrollment.ACTIVE:
                enrollment.status = Enrollment.REFUNDED
                enrollment.save(update_fields=["status"])
                Course.objects.filter(pk=enrollment.course_id).update(seats_taken=F("seats_taken") - 1)
