from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import PasswordChangeView
from django.views.generic.dates import ArchiveIndexView

from diary.models import Entry
from site.views import PaginatedView, SiteFilterView


class EntryList(LoginRequiredMixin, PaginatedView, SiteFilterView):
    model = Entry
    template_name = "diary/entry_list.html"


class EntryArchive(LoginRequiredMixin, ArchiveIndexView):
    model = Entry
    date_field = "created"


class DiaryPasswordChange(PasswordChangeView):
    template_name = "diary/password.html"


class DraftList(LoginRequiredMixin, SiteFilterView):
    """Filtered like EntryList, bound by no URLconf: no endpoint."""

    model = Entry
