from django.urls import path

from crowd.adapters.views import AdapterViewSet

adapter_detail = AdapterViewSet.as_view({"get": AdapterViewSet.retrieve.__name__, "delete": "destroy"})

urlpatterns = [path("<uuid:pk>/", adapter_detail, name="adapter-detail")]
