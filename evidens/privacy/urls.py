from django.urls import path

from evidens.privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("retention/", views.retention, name="retention"),
]
