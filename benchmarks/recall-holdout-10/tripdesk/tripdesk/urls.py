from django.urls import include, path

urlpatterns = [
    path("api/accounts/", include("accounts.urls")),
    path("api/", include("bookings.urls")),
    path("api/payments/", include("payments.urls")),
    path("api/suppliers/", include("suppliers.urls")),
]
