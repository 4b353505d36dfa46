from django.urls import include, path
from rest_framework.urlpatterns import format_suffix_patterns

from crowd.adapters import detail_urls
from crowd.adapters.views import AdapterViewSet

# each view bound once by an explicit action map: only these actions answer, at these paths
adapter_list = AdapterViewSet.as_view({"get": "list", "post": "create"})
adapter_info = AdapterViewSet.as_view({"get": "info"})
adapter_schema = AdapterViewSet.as_view({"get": "adapter_schema"})
# a look-alike: a map no pattern uses
adapter_export = AdapterViewSet.as_view({"get": "unused_export"})

urlpatterns = format_suffix_patterns([
    path("adapter/", adapter_list, name="adapter-list"),
    # a URLconf module included as the imported module object
    path("adapter/", include(detail_urls)),
    # an inline list of patterns, under its prefix
    path("adapter/info/", include([path("<uuid:pk>/", adapter_info, name="adapter-info")])),
    path("adapter_schema/", adapter_schema, name="adapter-schema"),
])
