from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from evidens.processes.selectors import processes_for_user


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html", {"memberships": processes_for_user(request.user)})
