from __future__ import annotations

from django.urls import path

from evidens.api import views
from evidens.api.endpoints import api

urlpatterns = [
    path("tokens/", views.token_list, name="api_tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="api_token_revoke"),
    path("", api.urls),
]
