from django.urls import path

from payments import views

payment_list = views.PaymentViewSet.as_view({"get": "list", "post": "create"})
payment_detail = views.PaymentViewSet.as_view({"get": "retrieve"})

urlpatterns = [
    path("", payment_list),
    path("<int:pk>/", payment_detail),
    path("<int:payment_id>/refund/", views.AdminRefundView.as_view()),
    path("webhooks/paygate/", views.PayGateWebhookView.as_view()),
]
