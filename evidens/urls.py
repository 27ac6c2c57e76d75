from django.urls import include, path

from evidens.processes.views import home
from evidens.reports.views import public_page

urlpatterns = [
    path("", home, name="home"),
    path("", include("evidens.core.urls")),
    path("p/<slug:slug>/", include("evidens.processes.urls")),
    path("p/<slug:slug>/stakeholders/", include("evidens.stakeholders.urls")),
    path("p/<slug:slug>/surveys/", include("evidens.surveys.urls")),
    path("p/<slug:slug>/webstats/", include("evidens.webstats.urls")),
    path("p/<slug:slug>/interviews/", include("evidens.interviews.urls")),
    path("p/<slug:slug>/coding/", include("evidens.coding.urls")),
    path("p/<slug:slug>/archive/", include("evidens.archive.urls")),
    path("p/<slug:slug>/evidence/", include("evidens.evidence.urls")),
    path("p/<slug:slug>/strategy/", include("evidens.strategy.urls")),
    path("p/<slug:slug>/reports/", include("evidens.reports.urls")),
    path("p/<slug:slug>/privacy/", include("evidens.privacy.urls")),
    path("api/", include("evidens.api.urls")),
    path("s/", include("evidens.surveys.respondent_urls")),
    path("offentlig/<str:token>/", public_page, name="public_page"),
]
