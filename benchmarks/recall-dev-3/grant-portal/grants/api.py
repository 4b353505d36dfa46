import json
from datetime import date

from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET, require_POST

from . import services
from .forms import ReviewForm
from .models import Application, GrantProgram

MAX_PAGE_SIZE = 100


def _application_json(app: Application) -> dict:
    return {
        "id": app.pk,
        "title": app.title,
        "program": app.program.slug,
        "organization": app.organization.name,
        "requested_amount": str(app.requested_amount),
        "status": app.status,
        "submitted_at": app.submitted_at.isoformat() if app.submitted_at else None,
    }


@require_GET
def programs(request):
    qs = GrantProgram.objects.filter(is_published=True).order_by("-opens_at")
    try:
        size = max(1, min(int(request.GET.get("page_size", 20)), MAX_PAGE_SIZE))
    except ValueError:
        size = 20
    page = Paginator(qs, size).get_page(request.GET.get("page"))
    return JsonResponse(
        {
            "results": [
                {"slug": p.slug, "title": p.title, "max_award": str(p.max_award), "closes_at": p.closes_at.isoformat()}
                for p in page
            ],
            "page": page.number,
            "pages": page.paginator.num_pages,
        }
    )


@login_required
@require_GET
def my_applications(request):
    qs = (
        Application.objects.filter(applicant=request.user)
        .select_related("program", "organization")
        .order_by("-created_at")[:MAX_PAGE_SIZE]
    )
    return JsonResponse({"results": [_application_json(a) for a in qs]})


@login_required
@require_GET
def application_detail(request, pk):
    app = get_object_or_404(Application.objects.select_related("program", "organization"), pk=pk)
    return JsonResponse(_application_json(app))


@permission_required("grants.view_award", raise_exception=True)
@require_GET
def program_report(request):
    program_slug = request.GET.get("program", "")
    rows = services.program_funding_report(program_slug, request.GET.get("order", "awarded"))
    return JsonResponse({"program": program_slug, "rows": rows})


@require_GET
def disbursement_schedule(request, slug):
    program = get_object_or_404(GrantProgram, slug=slug)
    until = date.fromisoformat(request.GET.get("until", date.today().isoformat()))
    return JsonResponse({"program": slug, "due": services.disbursements_due(program, until)})


@permission_required("grants.add_review", raise_exception=True)
@require_POST
def submit_review(request, pk):
    application = get_object_or_404(Application, pk=pk)
    form = ReviewForm(json.loads(request.body or "{}"))
    if not form.is_valid():
        return JsonResponse({"errors": form.errors}, status=400)
    review = services.record_review(application, request.user, form.cleaned_data["score"], form.cleaned_data["comment"])
    return JsonResponse({"id": review.pk, "average": services.average_score(application)}, status=201)
