from django.urls import path

from . import views

urlpatterns = [
    path("me", views.MyProfileView.as_view()),
    path("me/logo", views.MyLogoView.as_view()),
    path("me/bank-accounts", views.BankAccountListView.as_view()),
    path("me/bank-accounts/<int:account_id>", views.BankAccountDetailView.as_view()),
    path("store/<slug:slug>", views.StorefrontView.as_view()),
    path("store/<slug:slug>/logo", views.storefront_logo),
    path("ops/<int:seller_id>", views.OpsSellerView.as_view()),
    path("ops/<int:seller_id>/freeze", views.OpsFreezeSellerView.as_view()),
    path("ops/bank-accounts/<int:account_id>/verify", views.OpsVerifyBankAccountView.as_view()),
]
