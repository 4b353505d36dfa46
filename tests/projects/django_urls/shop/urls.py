from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter

from shop import views

router = DefaultRouter()
router.register(r"orders", views.OrderViewSet)
router.register(r"payments", views.PaymentViewSet, basename="payment")

urlpatterns = [
    path("products/<int:pk>/", views.product_detail),
    re_path(r"^carts/(?P<cart_id>\d+)/$", views.CartView.as_view()),
    path("invoices/", views.InvoiceList.as_view()),
    path("coupons/", views.coupons),
    path("", include(router.urls)),
]
