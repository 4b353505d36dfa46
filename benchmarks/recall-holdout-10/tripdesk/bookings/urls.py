from rest_framework.routers import DefaultRouter

from bookings import views

router = DefaultRouter()
router.register("bookings", views.BookingViewSet, basename="booking")
router.register("agency/bookings", views.AgencyBookingViewSet, basename="agency-booking")
router.register("departures", views.DepartureViewSet, basename="departure")
router.register("vouchers", views.VoucherViewSet, basename="voucher")
router.register("admin/suppliers", views.SupplierAdminViewSet, basename="admin-supplier")

urlpatterns = router.urls
