from django.urls import path
from rest_framework.routers import DefaultRouter

from . import api_views
from .partner_views import PartnerStockView
from .views import ProductViewSet, PurchaseOrderViewSet, StockItemViewSet

router = DefaultRouter()
router.register("products", ProductViewSet, basename="product")
router.register("stock-items", StockItemViewSet, basename="stock-item")
router.register("purchase-orders", PurchaseOrderViewSet, basename="purchase-order")

urlpatterns = router.urls + [
    path("stock-items/<int:item_id>/movements/", api_views.movement_history),
    path("warehouses/<str:code>/movements/", api_views.warehouse_movements),
    path("reservations/", api_views.reserve_stock),
    path("reservations/release/", api_views.release_reservation),
    path("transfers/", api_views.transfer_stock),
    path("reports/valuation/", api_views.valuation),
    path("reports/snapshots/<str:granularity>/", api_views.snapshots),
    path("reports/reorder/", api_views.reorder_report),
    path("reports/trends/", api_views.trends),
    path("suppliers/<int:supplier_id>/catalog/", api_views.import_catalog),
    path("partner/stock/", PartnerStockView.as_view()),
]
