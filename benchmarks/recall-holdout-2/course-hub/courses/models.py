from decimal import Decimal

from django.conf import settings
from django.db import models


class Course(models.Model):
    CATEGORY_CHOICES = [
        ("dev", "Software development"),
        ("data", "Data"),
        ("design", "Design"),
        ("business", "Business"),
    ]

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="courses")
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.TextField(blank=True)
    category = models.CharField(max_length=20, choices=CATEGORY_CHOICES)
    price = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0.00"))
    published = models.BooleanField(default=False)
    seat_limit = models.PositiveIntegerField(null=True, blank=True)
    seats_taken = models.PositiveIntegerField(default=0)
    rating_avg = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["published", "category"])]

    def __str__(self):
        return self.title


class Lesson(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="lessons")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    video_url = models.URLField(blank=True)
    position = models.PositiveIntegerField()
    is_preview = models.BooleanField(default=False)

    class Meta:
        ordering = ["position"]
        unique_together = [("course", "position")]


class Enrollment(models.Model):
    ACTIVE, REFUNDED, EXPIRED = "active", "refunded", "expired"
    STATUS_CHOICES = [(ACTIVE, "Active"), (REFUNDED, "Refunded"), (EXPIRED, "Expired")]

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrollments")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrollments")
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=ACTIVE)
    amount_paid = models.DecimalField(max_digits=8, decimal_places=2, default=Decimal("0.00"))
    coupon = models.ForeignKey("Coupon", null=True, blank=True, on_delete=models.SET_NULL)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "course"], name="one_enrollment_per_course"),
        ]


class LessonProgress(models.Model):
    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="progress")
    lesson = models.ForeignKey(Lesson, on_delete=models.CASCADE)
    seconds_watched = models.PositiveIntegerField(default=0)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        unique_together = [("enrollment", "lesson")]


class Coupon(models.Model):
    code = models.CharField(max_length=40, unique=True)
    course = models.ForeignKey(Course, null=True, blank=True, on_delete=models.CASCADE)
    percent_off = models.PositiveSmallIntegerField()
    max_redemptions = models.PositiveIntegerField(default=100)
    redemptions = models.PositiveIntegerField(default=0)
    valid_until = models.DateTimeField(null=True, blank=True)


class Payment(models.Model):
    CHARGE, REFUND = "charge", "refund"

    enrollment = models.ForeignKey(Enrollment, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(max_length=10, default=CHARGE)
    provider_ref = models.CharField(max_length=64, unique=True)
    amount = models.DecimalField(max_digits=8, decimal_places=2)
    status = models.CharField(max_length=20, default="pending")
    created_at = models.DateTimeField(auto_now_add=True)


class Review(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="reviews")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    rating = models.PositiveSmallIntegerField()
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        unique_together = [("course", "user")]


class Certificate(models.Model):
    enrollment = models.OneToOneField(Enrollment, on_delete=models.CASCADE, related_name="certificate")
    verification_code = models.CharField(max_length=32)
    issued_at = models.DateTimeField(auto_now_add=True)


class InstructorApplication(models.Model):
    PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="instructor_applications")
    motivation = models.TextField()
    portfolio_url = models.URLField(blank=True)
    status = models.CharField(max_length=10, default=PENDING)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
