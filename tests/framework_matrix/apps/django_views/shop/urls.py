from django.urls import path, re_path

from shop import views

urlpatterns = [
    path("orders/<int:pk>/", views.order_detail, name="order-detail"),
    path("orders/", views.OrderListView.as_view(), name="orders"),
    path("carts/", views.CartView.as_view(), name="carts"),
    re_path(r"^legacy/(?P<code>\w+)/$", views.legacy_lookup),
]
