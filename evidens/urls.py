from django.urls import include, path

urlpatterns = [
    path("", include("evidens.core.urls")),
    path("p/<slug:slug>/", include("evidens.processes.urls")),
    path("p/<slug:slug>/stakeholders/", include("evidens.stakeholders.urls")),
]
