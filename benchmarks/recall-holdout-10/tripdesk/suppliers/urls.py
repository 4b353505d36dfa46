from django.urls import path
from rest_framework.routers import DefaultRouter

from suppliers import views

router = DefaultRouter()
router.register("price-rules", views.PriceRuleViewSet, basename="price-rule")

urlpatterns = [
    path("<slug:code>/callback/", views.SupplierStatusCallbackView.as_view()),
    *router.urls,
]
