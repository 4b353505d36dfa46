from django.views.generic.base import View
from django_filters.views import FilterView


class SiteFilterView(FilterView):
    strict = False


class PaginatedView(View):
    def get_paginate_by(self, queryset):
        return 25
