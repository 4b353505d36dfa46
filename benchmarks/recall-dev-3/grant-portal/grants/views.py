import csv
import json
import logging
import os

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required, permission_required, user_passes_test
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.db import IntegrityError
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import CreateView, DetailView, ListView, UpdateView

from . import services
from .forms import ApplicationForm, AttachmentForm, AwardDecisionForm, LoginForm, ReviewForm
from .models import Application, Attachment, Award, Disbursement, GrantProgram, Membership
from .payments import PayoutError, payouts_client, verify_webhook_signature

log = logging.getLogger(__name__)


def login_view(request):
    form = LoginForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if user is not None:
            login(request, user)
            return redirect(request.GET.get("next") or reverse("grants:dashboard"))
        form.add_error(None, "Invalid username or password.")
    return render(request, "grants/login.html", {"form": form})


@require_POST
def logout_view(request):
    logout(request)
    return redirect("grants:program-list")


@login_required
@require_POST
def switch_organization(request):
    membership = get_object_or_404(Membership, user=request.user, organization_id=request.POST.get("organization"))
    request.session["active_org_id"] = membership.organization_id
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        next_url = reverse("grants:dashboard")
    return redirect(next_url)


class ProgramListView(ListView):
    template_name = "grants/program_list.html"
    paginate_by = 20

    def get_queryset(self):
        return GrantProgram.objects.filter(is_published=True)


class ProgramDetailView(DetailView):
    template_name = "grants/program_detail.html"
    slug_field = "slug"

    def get_queryset(self):
        return GrantProgram.objects.filter(is_published=True)


@login_required
def dashboard(request):
    applications = (
        Application.objects.filter(applicant=request.user)
        .select_related("program", "organization")
        .order_by("-created_at")[:50]
    )
    return render(request, "grants/dashboard.html", {"applications": applications})


class ApplicationCreateView(LoginRequiredMixin, CreateView):
    form_class = ApplicationForm
    template_name = "grants/application_form.html"
    success_url = reverse_lazy("grants:dashboard")

    def dispatch(self, request, *args, **kwargs):
        self.program = get_object_or_404(GrantProgram, slug=kwargs["slug"], is_published=True)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["program"] = self.program
        return kwargs

    def form_valid(self, form):
        if self.request.organization is None:
            form.add_error(None, "Choose the organization you are applying for first.")
            return self.form_invalid(form)
        form.instance.program = self.program
        form.instance.organization = self.request.organization
        form.instance.applicant = self.request.user
        try:
            return super().form_valid(form)
        except IntegrityError:
            form.add_error(None, "Your organization has already applied to this program.")
            return self.form_invalid(form)


class ApplicationUpdateView(LoginRequiredMixin, UpdateView):
    form_class = ApplicationForm
    template_name = "grants/application_form.html"
    success_url = reverse_lazy("grants:dashboard")

    def get_queryset(self):
        return Application.objects.filter(applicant=self.request.user, status=Application.Status.DRAFT)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["program"] = self.object.program
        return kwargs


@csrf_exempt
@login_required
@require_POST
def withdraw_application(request, pk):
    application = get_object_or_404(Application, pk=pk, applicant=request.user)
    if application.status in (Application.Status.APPROVED, Application.Status.REJECTED):
        return HttpResponseBadRequest("Decided applications cannot be withdrawn.")
    application.status = Application.Status.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    messages.info(request, "Application withdrawn.")
    return redirect("grants:dashboard")


@login_required
@require_POST
def submit_application(request, pk):
    application = get_object_or_404(Application, pk=pk, applicant=request.user, status=Application.Status.DRAFT)
    application.status = Application.Status.SUBMITTED
    application.submitted_at = timezone.now()
    application.save(update_fields=["status", "submitted_at", "updated_at"])
    return redirect("grants:dashboard")


@login_required
def upload_attachment(request, pk):
    application = get_object_or_404(Application, pk=pk, applicant=request.user)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        checksum = services.file_checksum(upload)
        if application.attachments.filter(checksum=checksum).exists():
            messages.warning(request, "That file is already attached.")
        else:
            Attachment.objects.create(
                application=application,
                file=upload,
                original_name=upload.name[:255],
                checksum=checksum,
                uploaded_by=request.user,
            )
        return redirect("grants:dashboard")
    return render(request, "grants/attachment_form.html", {"form": form, "application": application})


@login_required
def download_attachment(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("application"), pk=pk)
    is_owner = attachment.application.applicant_id == request.user.id
    if not (is_owner or request.user.has_perm("grants.add_review")):
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


@login_required
def legacy_attachment(request):
    # Links in notification emails sent before 2023 point at the raw stored name.
    name = request.GET.get("name", "")
    path = os.path.join(settings.MEDIA_ROOT, "attachments", name)
    if not os.path.isfile(path):
        raise Http404
    return FileResponse(open(path, "rb"), as_attachment=True)


class ReviewQueueView(PermissionRequiredMixin, ListView):
    permission_required = "grants.add_review"
    template_name = "grants/review_queue.html"
    paginate_by = 25

    def get_queryset(self):
        return (
            Application.objects.filter(status__in=[Application.Status.SUBMITTED, Application.Status.UNDER_REVIEW])
            .select_related("program", "organization", "applicant")
            .order_by("submitted_at")
        )


@permission_required("grants.add_review")
def reviewer_summary(request):
    rows = []
    pending = Application.objects.filter(status=Application.Status.UNDER_REVIEW).order_by("submitted_at")[:100]
    for application in pending:
        rows.append(
            {
                "id": application.pk,
                "title": application.title,
                "organization": application.organization.name,
                "program": application.program.title,
                "reviews": application.reviews.count(),
                "mine": application.reviews.filter(reviewer=request.user).exists(),
            }
        )
    return render(request, "grants/reviewer_summary.html", {"rows": rows})


@permission_required("grants.add_review")
def review_application(request, pk):
    application = get_object_or_404(Application, pk=pk)
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_review(application, request.user, form.cleaned_data["score"], form.cleaned_data["comment"])
        except IntegrityError:
            messages.warning(request, "You have already reviewed this application.")
        return redirect("grants:review-queue")
    context = {"application": application, "form": form, "average": services.average_score(application)}
    return render(request, "grants/review_form.html", context)


@login_required
@require_POST
def approve_application(request, pk):
    application = get_object_or_404(Application, pk=pk, status=Application.Status.UNDER_REVIEW)
    form = AwardDecisionForm(request.POST)
    if not form.is_valid():
        return render(request, "grants/award_form.html", {"application": application, "form": form}, status=400)
    try:
        services.approve_application(
            application, form.cleaned_data["amount"], form.cleaned_data["installments"], request.user
        )
    except services.BudgetExceeded:
        messages.error(request, "The program does not have enough budget left.")
        return redirect("grants:review-queue")
    messages.success(request, "Award created.")
    return redirect("grants:review-queue")


@permission_required("grants.change_disbursement")
@require_POST
def release_disbursement(request, pk):
    disbursement = get_object_or_404(
        Disbursement.objects.select_related("award__application__organization"), pk=pk
    )
    if disbursement.status != Disbursement.Status.SCHEDULED:
        messages.info(request, "This disbursement has already been released.")
        return redirect("grants:review-queue")
    org = disbursement.award.application.organization
    try:
        payout = payouts_client().create_payout(
            amount=disbursement.amount,
            account_name=org.bank_account_name,
            account_number=org.bank_account_number,
            routing_number=org.bank_routing_number,
            reference=f"GRANT-{disbursement.award.application_id}",
        )
    except PayoutError:
        messages.error(request, "The bank rejected the payout.")
        return redirect("grants:review-queue")
    disbursement.payout_id = payout["id"]
    disbursement.status = Disbursement.Status.SENT
    disbursement.save(update_fields=["payout_id", "status"])
    return redirect("grants:review-queue")


@user_passes_test(lambda u: u.is_active and u.is_staff)
def export_awards_csv(request):
    def rows():
        yield ["application", "organization", "program", "amount", "approved_at"]
        awards = Award.objects.select_related("application__organization", "application__program").iterator(chunk_size=500)
        for award in awards:
            app = award.application
            yield [app.pk, app.organization.name, app.program.title, str(award.amount), award.approved_at.isoformat()]

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())
    response = StreamingHttpResponse((writer.writerow(r) for r in rows()), content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="awards.csv"'
    return response


@csrf_exempt
@require_POST
def payments_webhook(request):
    if not verify_webhook_signature(request.body, request.headers.get("X-Payouts-Signature", "")):
        return HttpResponse(status=401)
    event = json.loads(request.body)
    if event.get("type") == "payout.paid":
        services.mark_disbursement_paid(event["data"]["id"])
    return HttpResponse(status=204)


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
