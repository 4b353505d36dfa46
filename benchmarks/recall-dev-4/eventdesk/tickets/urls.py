from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("venues", views.VenueViewSet, basename="venue")
router.register("events", views.EventViewSet, basename="event")
router.register("orders", views.OrderViewSet, basename="order")
router.register("tickets", views.TicketViewSet, basename="ticket")
router.register("check-in", views.CheckInViewSet, basename="check-in")
router.register("me", views.MeViewSet, basename="me")
router.register("wallet", views.WalletViewSet, basename="wallet")

urlpatterns = router.urls
