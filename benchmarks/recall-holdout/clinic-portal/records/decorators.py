from functools import wraps
from typing import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse


def clinic_staff_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def _wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        if not hasattr(user, "clinician") and not user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return _wrapped


def require_same_clinic(user, patient) -> None:
    clinician = getattr(user, "clinician", None)
    if user.is_superuser:
        return
    if clinician is None or clinician.clinic_id != patient.clinic_id:
        raise PermissionDenied
