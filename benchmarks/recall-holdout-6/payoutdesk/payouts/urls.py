from django.urls import path

from . import views, webhooks

urlpatterns = [
    path("", views.PayoutCollectionView.as_view()),
    path("balance", views.BalanceView.as_view()),
    path("ledger", views.LedgerView.as_view()),
    path("statements/<int:year>/<int:month>", views.StatementView.as_view()),
    path("<int:payout_id>", views.PayoutDetailView.as_view()),
    path("<int:payout_id>/confirm", views.PayoutConfirmView.as_view()),
    path("ops/review", views.OpsReviewQueueView.as_view()),
    path("ops/<int:payout_id>/approve", views.OpsApprovePayoutView.as_view()),
    path("ops/sellers/<int:seller_id>/adjust", views.OpsAdjustBalanceView.as_view()),
    path("webhooks/psp", webhooks.PspWebhookView.as_view()),
]
