from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from evidens.privacy import selectors, services
from evidens.processes.access import Permission, ProcessAccess, process_view
from evidens.webstats import selectors as webstats_selectors

ACCESS_ROWS = 100


@process_view(Permission.MANAGE)
def overview(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    """What the process stores about people and why (the association's records of processing), what is past its
    time, and who has looked at personal data."""
    today = timezone.localdate()
    months = webstats_selectors.settings_of(access.process).retention_months
    due = selectors.retention_due(access.process, today)
    return render(request, "privacy/overview.html", {
        "access": access, "categories": selectors.records_of_processing(access.process, today, months),
        "due": due, "accesses": selectors.personal_data_access(access.process)[:ACCESS_ROWS]})


@require_POST
@process_view(Permission.MANAGE)
def retention(request: HttpRequest, access: ProcessAccess) -> HttpResponse:
    job = services.retention_request(process=access.process, actor=request.user)
    messages.success(request, _("The retention job has started."))
    return redirect("processes:job", access.process.slug, job.pk)
