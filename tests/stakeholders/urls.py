"""The site's URLs with the stakeholder register included, for as long as evidens/urls.py does not yet."""

from django.urls import URLResolver, include, path

from evidens.urls import urlpatterns as site_patterns

urlpatterns = list(site_patterns)
if not any(isinstance(entry, URLResolver) and entry.namespace == "stakeholders" for entry in site_patterns):
    urlpatterns.append(path("p/<slug:slug>/stakeholders/", include("evidens.stakeholders.urls")))
