from django.contrib import admin
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from courses import views

router = DefaultRouter()
router.register("courses", views.CourseViewSet, basename="course")
router.register("enrollments", views.EnrollmentViewSet, basename="enrollment")
router.register("instructor-applications", views.InstructorApplicationViewSet, basename="instructor-application")

lesson_list = views.LessonViewSet.as_view({"get": "list", "post": "create"})
lesson_detail = views.LessonViewSet.as_view(
    {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/courses/<slug:course_slug>/lessons/", lesson_list, name="lesson-list"),
    path("api/courses/<slug:course_slug>/lessons/<int:pk>/", lesson_detail, name="lesson-detail"),
    path("api/courses/<slug:slug>/reviews/", views.CourseReviewsView.as_view(), name="course-reviews"),
    path("api/courses/<slug:slug>/purchase/", views.PurchaseView.as_view(), name="course-purchase"),
    path("api/me/", views.ProfileView.as_view(), name="profile"),
    path("api/certificates/<str:code>/", views.CertificateVerifyView.as_view(), name="certificate-verify"),
    path("api/webhooks/payments/", views.PaymentWebhookView.as_view(), name="payments-webhook"),
    path("api/", include(router.urls)),
]
