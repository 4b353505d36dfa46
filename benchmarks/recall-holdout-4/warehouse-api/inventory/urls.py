from django.urls import path

from . import api_views, views

urlpatterns = [
    path("health/", api_views.health, name="health"),
    path("products/", views.ProductListView.as_view(), name="product-list"),
    path("products/lookup/", api_views.product_lookup, name="product-lookup"),
    path("products/low-stock/", api_views.low_stock, name="low-stock"),
    path("products/<int:pk>/", views.ProductDetailView.as_view(), name="product-detail"),
    path("products/<int:pk>/price/", api_views.adjust_price, name="product-price"),
    path("stock/reserve/", api_views.reserve, name="stock-reserve"),
    path("stock/adjust/", api_views.adjust, name="stock-adjust"),
    path("stock/report/", views.StockReportView.as_view(), name="stock-report"),
    path("stock/transfers/", views.TransferCreateView.as_view(), name="transfer-create"),
    path("stock/manifests/", views.ManifestImportView.as_view(), name="manifest-import"),
    path("stock/movements.csv", api_views.movements_export, name="movements-export"),
    path("warehouses/<int:pk>/", views.WarehouseUpdateView.as_view(), name="warehouse-update"),
    path("orders/", views.OrderListView.as_view(), name="order-list"),
    path("orders/<int:pk>/", views.OrderDetailView.as_view(), name="order-detail"),
    path("orders/<int:pk>/lines/", api_views.add_order_line, name="order-line-add"),
    path("orders/<int:pk>/cancel/", views.OrderCancelView.as_view(), name="order-cancel"),
    path("orders/<int:pk>/ship/", api_views.ship_order, name="order-ship"),
    path("shipments/<int:pk>/label/", api_views.shipment_label, name="shipment-label"),
    path("packing-slips/", api_views.packing_slip, name="packing-slip"),
    path("hooks/carrier/", api_views.carrier_webhook, name="carrier-webhook"),
    path("hooks/erp/goods-received/", api_views.erp_goods_received, name="erp-goods-received"),
]
